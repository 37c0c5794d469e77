namespace JiraAuthServer.Tests.Fakes;

/// <summary>What the fake's token logic decided: tokens to serve, or an OAuth error.</summary>
internal sealed record FakeTokenOutcome(FakeIssuedTokens? Tokens, int Status, string? Error, string? Description)
{
    public static FakeTokenOutcome Served(FakeIssuedTokens tokens) => new(tokens, 200, null, null);

    public static FakeTokenOutcome Refused(int status, string error, string description) => new(null, status, error, description);

    public static FakeTokenOutcome InvalidGrant(string description) => Refused(403, "invalid_grant", description);
}
