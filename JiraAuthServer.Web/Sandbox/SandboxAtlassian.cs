using System.Security.Cryptography;
using JiraAuthServer.Core.Grants;

namespace JiraAuthServer.Web.Sandbox;

/// <summary>
/// The stand-in Atlassian's memory: consents, one-time codes and token families with Atlassian's rules — codes work
/// once for 10 minutes, every refresh rotates the refresh token, a replaced one may be reused for 10 minutes, and
/// reuse after that kills the whole family (the user must authorize again).
/// </summary>
public sealed class SandboxAtlassian(TimeProvider time)
{
    public const string ClientId = "sandbox-client";

    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromHours(1);
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan ReuseLeeway = TimeSpan.FromMinutes(10);

    public static readonly JiraIdentity User = new("sandbox-5f0c1a2b3c4d5e6f7a8b9c0d", "sandbox.user@example.com", "Sandbox User");

    /// <summary>What accessible-resources lists: a Confluence-only entry first, so the site choice is exercised.</summary>
    public static readonly IReadOnlyList<JiraSite> Sites =
    [
        new("a1b2c3d4-0000-4000-8000-00000000c0f1", "https://sandbox-wiki.atlassian.net", "sandbox-wiki", ["read:confluence-content.all"]),
        new("a1b2c3d4-0000-4000-8000-0000000051e1", "https://sandbox.atlassian.net", "Sandbox Jira", ["read:jira-work", "read:jira-user", "write:jira-work"]),
    ];

    private readonly Lock gate = new();
    private readonly Dictionary<string, SandboxConsent> consents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (SandboxConsent Consent, DateTimeOffset ExpiresAt)> codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Family> byRefreshToken = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> accessTokens = new(StringComparer.Ordinal);

    public string BeginConsent(SandboxConsent consent)
    {
        var id = NewValue("consent");
        lock (gate)
        {
            consents[id] = consent;
        }

        return id;
    }

    public SandboxConsent? TakeConsent(string id)
    {
        lock (gate)
        {
            return consents.Remove(id, out var consent) ? consent : null;
        }
    }

    public string IssueCode(SandboxConsent consent)
    {
        var code = NewValue("code");
        lock (gate)
        {
            codes[code] = (consent, time.GetUtcNow() + CodeLifetime);
        }

        return code;
    }

    public SandboxTokenResult Exchange(string? code, string? redirectUri)
    {
        lock (gate)
        {
            if (code is null || !codes.Remove(code, out var issued) || issued.ExpiresAt <= time.GetUtcNow())
            {
                return SandboxTokenResult.InvalidGrant("Invalid authorization code");
            }

            if (!string.Equals(redirectUri, issued.Consent.RedirectUri, StringComparison.Ordinal))
            {
                return SandboxTokenResult.InvalidGrant("redirect_uri does not match the authorization request");
            }

            var offline = issued.Consent.Scope.Split(' ').Contains("offline_access", StringComparer.Ordinal);
            var family = new Family(issued.Consent.Scope);
            return Serve(family, offline ? Rotate(family) : null);
        }
    }

    public SandboxTokenResult Refresh(string? refreshToken)
    {
        lock (gate)
        {
            if (refreshToken is null || !byRefreshToken.TryGetValue(refreshToken, out var family) || family.Revoked)
            {
                return SandboxTokenResult.InvalidGrant("Unknown or invalid refresh token.");
            }

            if (refreshToken == family.RefreshToken)
            {
                return Serve(family, Rotate(family));
            }

            if (time.GetUtcNow() - family.Replaced[refreshToken] <= ReuseLeeway)
            {
                return SandboxTokenResult.Tokens(family.AccessToken, family.RefreshToken, family.Scope, accessTokens[family.AccessToken] - time.GetUtcNow());
            }

            family.Revoked = true;
            return SandboxTokenResult.InvalidGrant("Unknown or invalid refresh token.");
        }
    }

    public bool IsLive(string? accessToken)
    {
        lock (gate)
        {
            return accessToken is not null && accessTokens.TryGetValue(accessToken, out var diesAt) && diesAt > time.GetUtcNow();
        }
    }

    private string Rotate(Family family)
    {
        if (family.RefreshToken is { } previous)
        {
            family.Replaced[previous] = time.GetUtcNow();
        }

        family.RefreshToken = NewValue("sandbox-refresh");
        byRefreshToken[family.RefreshToken] = family;
        return family.RefreshToken;
    }

    private SandboxTokenResult Serve(Family family, string? refreshToken)
    {
        family.AccessToken = NewValue("sandbox-access");
        accessTokens[family.AccessToken] = time.GetUtcNow() + AccessTokenLifetime;
        return SandboxTokenResult.Tokens(family.AccessToken, refreshToken, family.Scope, AccessTokenLifetime);
    }

    private static string NewValue(string prefix) =>
        prefix + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    private sealed class Family(string scope)
    {
        public string Scope { get; } = scope;

        public string AccessToken { get; set; } = string.Empty;

        public string? RefreshToken { get; set; }

        public Dictionary<string, DateTimeOffset> Replaced { get; } = new(StringComparer.Ordinal);

        public bool Revoked { get; set; }
    }
}
