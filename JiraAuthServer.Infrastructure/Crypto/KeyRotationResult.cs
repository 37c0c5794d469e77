namespace JiraAuthServer.Infrastructure.Crypto;

public sealed record KeyRotationResult(int Total, int Rewritten, int AlreadyCurrent, IReadOnlyList<long> Unreadable);
