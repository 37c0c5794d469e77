namespace JiraAuthServer.Tests.Fakes;

/// <summary>
/// One successful token answer the fake served. <see cref="Reused"/> marks an answer to a disabled refresh token
/// within the leeway, which serves the family's current tokens again instead of new ones.
/// </summary>
public sealed record FakeIssuedTokens(
    string FamilyId,
    string GrantType,
    string AccessToken,
    string? RefreshToken,
    string Scope,
    TimeSpan ExpiresIn,
    DateTimeOffset IssuedAt,
    bool Reused);
