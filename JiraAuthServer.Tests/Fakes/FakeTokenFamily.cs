namespace JiraAuthServer.Tests.Fakes;

/// <summary>
/// A snapshot of one grant (a token family: everything issued from one authorization code). Refresh tokens rotate;
/// reusing a disabled one after the leeway revokes the whole family.
/// </summary>
public sealed record FakeTokenFamily(
    string Id,
    FakeJiraUser User,
    string Scope,
    string CurrentAccessToken,
    string? CurrentRefreshToken,
    int RefreshCount,
    int ReuseCount,
    bool IsRevoked);
