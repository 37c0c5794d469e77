namespace JiraAuthServer.Core.Atlassian;

/// <summary>
/// A successful answer of Atlassian's token endpoint. <see cref="RefreshToken"/> is null when a refresh response
/// omits it; the caller then keeps the one it has.
/// </summary>
public sealed record AtlassianTokenResponse(
    string AccessToken,
    string? RefreshToken,
    TimeSpan ExpiresIn,
    string Scope,
    string TokenType);
