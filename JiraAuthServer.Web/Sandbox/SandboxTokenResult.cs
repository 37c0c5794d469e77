using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Web.Sandbox;

/// <summary>An answer of the stand-in token endpoint, shaped as Atlassian's.</summary>
public sealed record SandboxTokenResult(int StatusCode, JObject Body)
{
    public static SandboxTokenResult Tokens(string accessToken, string? refreshToken, string scope, TimeSpan expiresIn)
    {
        var body = new JObject
        {
            ["access_token"] = accessToken,
            ["expires_in"] = (int)expiresIn.TotalSeconds,
            ["token_type"] = "Bearer",
            ["scope"] = scope,
        };
        if (refreshToken is not null)
        {
            body["refresh_token"] = refreshToken;
        }

        return new SandboxTokenResult(StatusCodes.Status200OK, body);
    }

    public static SandboxTokenResult InvalidGrant(string description) =>
        new(StatusCodes.Status403Forbidden, new JObject { ["error"] = "invalid_grant", ["error_description"] = description });

    public static SandboxTokenResult Unauthorized() =>
        new(StatusCodes.Status401Unauthorized, new JObject { ["error"] = "access_denied", ["error_description"] = "Unauthorized" });
}
