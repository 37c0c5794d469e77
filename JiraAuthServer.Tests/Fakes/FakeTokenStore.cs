namespace JiraAuthServer.Tests.Fakes;

/// <summary>
/// The fake's authorization codes and token families, with Atlassian's rotation rules. Thread-safe: the server
/// answers requests concurrently while a test reads counters.
/// </summary>
internal sealed class FakeTokenStore(FakeAtlassianServer server)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, PendingCode> codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Family> familiesByRefreshToken = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AccessToken> accessTokens = new(StringComparer.Ordinal);
    private readonly List<Family> families = [];
    private readonly List<FakeIssuedTokens> issued = [];

    public int CodeExchangeCount { get; private set; }

    public int RefreshCount { get; private set; }

    public int RefreshReuseCount { get; private set; }

    public int RevokedFamilyCount { get; private set; }

    public IReadOnlyList<FakeIssuedTokens> Issued
    {
        get { lock (gate) { return [.. issued]; } }
    }

    public IReadOnlyList<FakeTokenFamily> Families
    {
        get { lock (gate) { return [.. families.Select(family => family.Snapshot())]; } }
    }

    public string IssueCode(FakeJiraUser user, string redirectUri, string scope)
    {
        var code = FakeTokenValues.Code();
        lock (gate)
        {
            codes[code] = new PendingCode(user, redirectUri, scope, Now + server.AuthorizationCodeLifetime);
        }

        return code;
    }

    public FakeTokenOutcome Exchange(string? code, string? redirectUri)
    {
        lock (gate)
        {
            // A code works once: a failed attempt burns it too.
            if (code is null || !codes.Remove(code, out var pending) || pending.ExpiresAt <= Now)
            {
                return FakeTokenOutcome.InvalidGrant("Invalid authorization code");
            }

            if (!string.Equals(redirectUri, pending.RedirectUri, StringComparison.Ordinal))
            {
                return FakeTokenOutcome.InvalidGrant("redirect_uri does not match the one of the authorization request");
            }

            CodeExchangeCount++;
            return FakeTokenOutcome.Served(StartFamily(pending.User, pending.Scope, "authorization_code"));
        }
    }

    public FakeIssuedTokens StartFamily(FakeJiraUser user, string scope) => StartFamily(user, scope, "seeded");

    public FakeTokenOutcome Refresh(string? refreshToken)
    {
        lock (gate)
        {
            RefreshCount++;
            if (refreshToken is null || !familiesByRefreshToken.TryGetValue(refreshToken, out var family))
            {
                return FakeTokenOutcome.InvalidGrant("Unknown or invalid refresh token.");
            }

            family.RefreshCount++;
            if (family.Revoked || Now - family.LastUsedAt > server.RefreshTokenInactivityLifetime)
            {
                Revoke(family);
                return FakeTokenOutcome.InvalidGrant("Unknown or invalid refresh token.");
            }

            return refreshToken == family.RefreshToken ? Rotate(family) : Reuse(family, refreshToken);
        }
    }

    public bool Revoke(string token)
    {
        lock (gate)
        {
            var family = FindFamily(token);
            if (family is null)
            {
                return false;
            }

            Revoke(family);
            return true;
        }
    }

    public FakeTokenFamily? FamilyOf(string token)
    {
        lock (gate)
        {
            return FindFamily(token)?.Snapshot();
        }
    }

    public bool EndAccessToken(string accessToken)
    {
        lock (gate)
        {
            if (!accessTokens.TryGetValue(accessToken, out var entry))
            {
                return false;
            }

            entry.DiesAt = Min(entry.DiesAt, Now);
            return true;
        }
    }

    /// <returns>The user behind a live access token, or null when it is unknown, expired or revoked.</returns>
    public FakeJiraUser? UserOf(string? accessToken)
    {
        lock (gate)
        {
            return accessToken is not null && accessTokens.TryGetValue(accessToken, out var entry) && !entry.Family.Revoked && Now < entry.DiesAt
                ? entry.Family.User
                : null;
        }
    }

    private DateTimeOffset Now => server.Time.GetUtcNow();

    private Family? FindFamily(string token) =>
        familiesByRefreshToken.GetValueOrDefault(token) ?? accessTokens.GetValueOrDefault(token)?.Family;

    private FakeIssuedTokens StartFamily(FakeJiraUser user, string scope, string grantType)
    {
        lock (gate)
        {
            var family = new Family($"family-{families.Count + 1}", user, scope, Now);
            families.Add(family);
            var offline = scope.Split(' ').Contains("offline_access", StringComparer.Ordinal);
            return Serve(family, grantType, offline ? NewRefreshToken(family) : null, NewAccessToken(family), reused: false);
        }
    }

    private FakeTokenOutcome Rotate(Family family)
    {
        var now = Now;
        family.LastUsedAt = now;
        var refreshToken = family.RefreshToken;
        if (!server.OmitRefreshTokenOnRefresh)
        {
            family.DisabledRefreshTokens[family.RefreshToken!] = now;
            refreshToken = NewRefreshToken(family);
        }

        // The access token a refresh replaces keeps working for a while, then is revoked.
        var previous = accessTokens[family.AccessToken];
        previous.DiesAt = Min(previous.DiesAt, now + server.ReplacedAccessTokenLifetime);
        var access = NewAccessToken(family);
        return FakeTokenOutcome.Served(Serve(family, "refresh_token", server.OmitRefreshTokenOnRefresh ? null : refreshToken, access, reused: false));
    }

    private FakeTokenOutcome Reuse(Family family, string disabledRefreshToken)
    {
        RefreshReuseCount++;
        family.ReuseCount++;
        if (Now - family.DisabledRefreshTokens[disabledRefreshToken] <= server.RefreshReuseLeeway)
        {
            return FakeTokenOutcome.Served(Serve(family, "refresh_token", family.RefreshToken, family.AccessToken, reused: true));
        }

        Revoke(family);
        return FakeTokenOutcome.InvalidGrant("Unknown or invalid refresh token.");
    }

    private void Revoke(Family family)
    {
        if (!family.Revoked)
        {
            family.Revoked = true;
            RevokedFamilyCount++;
        }
    }

    private string NewRefreshToken(Family family)
    {
        family.RefreshToken = FakeTokenValues.RefreshToken(server.RefreshTokenBytes);
        familiesByRefreshToken[family.RefreshToken] = family;
        return family.RefreshToken;
    }

    private string NewAccessToken(Family family)
    {
        family.AccessToken = FakeTokenValues.AccessToken(server.AccessTokenBytes);
        accessTokens[family.AccessToken] = new AccessToken(family, Now + server.AccessTokenLifetime);
        return family.AccessToken;
    }

    private FakeIssuedTokens Serve(Family family, string grantType, string? refreshToken, string accessToken, bool reused)
    {
        var expiresIn = accessTokens[accessToken].DiesAt - Now;
        var tokens = new FakeIssuedTokens(family.Id, grantType, accessToken, refreshToken, family.Scope, expiresIn, Now, reused);
        issued.Add(tokens);
        return tokens;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private sealed record PendingCode(FakeJiraUser User, string RedirectUri, string Scope, DateTimeOffset ExpiresAt);

    private sealed class AccessToken(Family family, DateTimeOffset diesAt)
    {
        public Family Family { get; } = family;

        public DateTimeOffset DiesAt { get; set; } = diesAt;
    }

    private sealed class Family(string id, FakeJiraUser user, string scope, DateTimeOffset createdAt)
    {
        public string Id { get; } = id;

        public FakeJiraUser User { get; } = user;

        public string Scope { get; } = scope;

        public string AccessToken { get; set; } = string.Empty;

        public string? RefreshToken { get; set; }

        public Dictionary<string, DateTimeOffset> DisabledRefreshTokens { get; } = new(StringComparer.Ordinal);

        public DateTimeOffset LastUsedAt { get; set; } = createdAt;

        public int RefreshCount { get; set; }

        public int ReuseCount { get; set; }

        public bool Revoked { get; set; }

        public FakeTokenFamily Snapshot() => new(Id, User, Scope, AccessToken, RefreshToken, RefreshCount, ReuseCount, Revoked);
    }
}
