namespace JiraAuthServer.Web.Sandbox;

/// <summary>The stand-in consent page: the request's scopes and its id, or why the request was refused.</summary>
public sealed record SandboxConsentPage(string? ConsentId, IReadOnlyList<string> Scopes, string? Problem);
