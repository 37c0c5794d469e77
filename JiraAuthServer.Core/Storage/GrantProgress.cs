namespace JiraAuthServer.Core.Storage;

/// <summary>How far a whole-store operation (key rotation, import, export) has come: <see cref="Done"/> of <see cref="Total"/> grants.</summary>
public readonly record struct GrantProgress(int Done, int Total);
