using JiraAuthServer.Core.Options;
using Microsoft.AspNetCore.Builder;

namespace JiraAuthServer.Tests.Fakes;

/// <summary>
/// Atlassian's authorize, token, accessible-resources and Jira REST endpoints (myself and the rest) on a real loopback socket, so both
/// in-process tests and a server started as a child process can use it. Every setting may change at any time.
/// <see cref="BaseUrl"/> serves as both <c>JIRA_BASE_URL</c> and <c>ATLASSIAN_API_URL</c>.
/// </summary>
public sealed class FakeAtlassianServer : IAsyncDisposable
{
    public const string DefaultScopes = "read:jira-work read:jira-user write:jira-work offline_access";

    private readonly Lock gate = new();
    private readonly Queue<FakeFailure> tokenFailures = new();
    private readonly Queue<FakeFailure> apiFailures = new();
    private readonly Queue<FakeFailure> jiraFailures = new();
    private readonly List<FakeTokenRequest> tokenRequests = [];
    private readonly FakeTokenStore store;
    private readonly FakeJiraRest jira;
    private WebApplication? app;

    private FakeAtlassianServer(TimeProvider time)
    {
        Time = time;
        store = new FakeTokenStore(this);
        jira = new FakeJiraRest(this, store);
    }

    /// <summary>The loopback address, without a trailing slash, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl { get; private set; } = string.Empty;

    /// <summary>The clock for code, token and leeway expiry (not for <see cref="TokenResponseDelay"/>, which is real time).</summary>
    public TimeProvider Time { get; }

    public string ClientId { get; set; } = "fake-client-id";

    public string ClientSecret { get; set; } = "fake-client-secret-5c1f0e";

    /// <summary>The app's one registered callback URL; null accepts any absolute URL (the code exchange still must repeat it).</summary>
    public string? RedirectUri { get; set; } = "http://127.0.0.1/oauth/callback";

    public FakeConsentMode ConsentMode { get; set; } = FakeConsentMode.ShowPage;

    /// <summary>The account that the next consent, approved through <c>/authorize</c>, issues a code for.</summary>
    public FakeJiraUser NextUser { get; set; } = FakeJiraUser.Default;

    /// <summary>What accessible-resources answers, in order; myself answers for those with Jira scopes.</summary>
    public IReadOnlyList<FakeAtlassianSite> Sites { get; set; } = [FakeAtlassianSite.Default];

    public TimeSpan AuthorizationCodeLifetime { get; set; } = TimeSpan.FromMinutes(10);

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long an access token keeps working after a refresh has replaced it.</summary>
    public TimeSpan ReplacedAccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a disabled refresh token may be reused (answered with the current tokens) before reuse kills the family.</summary>
    public TimeSpan RefreshReuseLeeway { get; set; } = TimeSpan.FromMinutes(10);

    public TimeSpan RefreshTokenInactivityLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Holds every token answer back this long, after the request was processed.</summary>
    public TimeSpan TokenResponseDelay { get; set; }

    public TimeSpan ApiResponseDelay { get; set; }

    /// <summary>Refresh answers leave out <c>refresh_token</c>, and the one used stays valid (no rotation).</summary>
    public bool OmitRefreshTokenOnRefresh { get; set; }

    /// <summary>Successful token answers carry a <c>padding</c> field this long, streamed without a Content-Length.</summary>
    public int TokenResponsePaddingBytes { get; set; }

    /// <summary>Random bytes in each new access token (base64url-encoded): 768 by default; the benchmark uses Atlassian's real sizes.</summary>
    public int AccessTokenBytes { get; set; } = 768;

    /// <summary>Random bytes in each new refresh token (base64url-encoded).</summary>
    public int RefreshTokenBytes { get; set; } = 36;

    public int TokenRequestCount
    {
        get { lock (gate) { return tokenRequests.Count; } }
    }

    /// <summary>Successful authorization_code grants.</summary>
    public int CodeExchangeCount => store.CodeExchangeCount;

    /// <summary>refresh_token grants that reached the grant check (valid client, no injected failure), successful or not.</summary>
    public int RefreshCount => store.RefreshCount;

    /// <summary>Refreshes with a disabled refresh token, inside or after the leeway.</summary>
    public int RefreshReuseCount => store.RefreshReuseCount;

    public int RevokedFamilyCount => store.RevokedFamilyCount;

    public IReadOnlyList<FakeTokenRequest> TokenRequests
    {
        get { lock (gate) { return [.. tokenRequests]; } }
    }

    /// <summary>Every successful token answer, in order.</summary>
    public IReadOnlyList<FakeIssuedTokens> IssuedTokens => store.Issued;

    public FakeIssuedTokens? LastIssuedTokens => store.Issued is [.., var last] ? last : null;

    public IReadOnlyList<FakeTokenFamily> Families => store.Families;

    /// <summary>Every call to Jira REST (<c>/ex/jira/{cloudId}/rest/...</c>, other than myself), in order.</summary>
    public IReadOnlyList<FakeJiraRequest> JiraRequests => jira.Requests;

    public static async Task<FakeAtlassianServer> StartAsync(TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        var server = new FakeAtlassianServer(time ?? TimeProvider.System);
        await server.StartCoreAsync(cancellationToken);
        return server;
    }

    /// <summary>The next <paramref name="count"/> token requests get <paramref name="failure"/> and change nothing.</summary>
    public void FailNextTokenRequests(FakeFailure failure, int count = 1) => Enqueue(tokenFailures, failure, count);

    /// <summary>The next <paramref name="count"/> accessible-resources or myself requests get <paramref name="failure"/>.</summary>
    public void FailNextApiRequests(FakeFailure failure, int count = 1) => Enqueue(apiFailures, failure, count);

    /// <summary>The next <paramref name="count"/> Jira REST calls with a live token get <paramref name="failure"/> (a 429, a 500).</summary>
    public void FailNextJiraRequests(FakeFailure failure, int count = 1) => Enqueue(jiraFailures, failure, count);

    /// <summary>
    /// Ends one access token now, as Atlassian does within minutes of a refresh made elsewhere: Jira answers 401 to it
    /// although it has not reached its expiry. The refresh token goes on working.
    /// </summary>
    public bool RevokeAccessToken(string accessToken) => store.EndAccessToken(accessToken);

    /// <summary>A code as <c>/authorize</c> would issue it, without the browser round trip.</summary>
    public string IssueCode(FakeJiraUser? user = null, string? redirectUri = null, string scope = DefaultScopes) =>
        store.IssueCode(user ?? NextUser, redirectUri ?? RedirectUri ?? throw new InvalidOperationException("Pass the redirect URI: none is configured"), scope);

    /// <summary>A new grant, as if authorized and exchanged long ago, for tests that seed a stored grant.</summary>
    public FakeIssuedTokens IssueTokens(FakeJiraUser? user = null, string scope = DefaultScopes) => store.StartFamily(user ?? NextUser, scope);

    /// <summary>The family a token (access or refresh, current or not) belongs to.</summary>
    public FakeTokenFamily? FamilyOf(string token) => store.FamilyOf(token);

    /// <summary>Revokes the family of a token, as a user revoking the app in their Atlassian account does.</summary>
    public bool Revoke(string token) => store.Revoke(token);

    public bool IsLiveAccessToken(string accessToken) => store.UserOf(accessToken) is not null;

    /// <summary>Options for an <c>AtlassianClient</c> that talks to this fake.</summary>
    public AtlassianOptions CreateClientOptions() => new()
    {
        ClientId = ClientId,
        ClientSecret = ClientSecret,
        RedirectUri = RedirectUri ?? string.Empty,
        AuthBaseUrl = BaseUrl,
        ApiBaseUrl = BaseUrl,
    };

    /// <summary>The variables a real server started as a child process needs to talk to this fake.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables() => new Dictionary<string, string>
    {
        ["JIRA_CLIENT_ID"] = ClientId,
        ["JIRA_CLIENT_SECRET"] = ClientSecret,
        ["JIRA_REDIRECT_URI"] = RedirectUri ?? string.Empty,
        ["JIRA_BASE_URL"] = BaseUrl,
        ["ATLASSIAN_API_URL"] = BaseUrl,
    };

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await FakeHost.StopAsync(app);
            app = null;
        }
    }

    internal void RecordTokenRequest(FakeTokenRequest request)
    {
        lock (gate)
        {
            tokenRequests.Add(request);
        }
    }

    internal FakeFailure? TakeTokenFailure() => Take(tokenFailures);

    internal FakeFailure? TakeApiFailure() => Take(apiFailures);

    internal FakeFailure? TakeJiraFailure() => Take(jiraFailures);

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        app = FakeHost.Create();
        var authorize = new FakeAuthorizeEndpoint(this, store);
        app.MapGet("/authorize", authorize.AuthorizeAsync);
        app.MapGet(FakeAuthorizeEndpoint.ApprovePath, context => authorize.DecideAsync(context, approve: true));
        app.MapGet(FakeAuthorizeEndpoint.DeclinePath, context => authorize.DecideAsync(context, approve: false));
        app.MapPost("/oauth/token", context => FakeTokenEndpoint.HandleAsync(context, this, store));
        app.MapGet("/oauth/token/accessible-resources", context => FakeApiEndpoints.AccessibleResourcesAsync(context, this, store));
        app.MapGet("/ex/jira/{cloudId}/rest/api/3/myself", context => FakeApiEndpoints.MyselfAsync(context, this, store));
        app.Map("/ex/jira/{cloudId}/rest/{**path}", jira.HandleAsync);
        await app.StartAsync(cancellationToken);
        BaseUrl = FakeHost.BaseUrl(app);
    }

    private void Enqueue(Queue<FakeFailure> queue, FakeFailure failure, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (gate)
        {
            for (var i = 0; i < count; i++)
            {
                queue.Enqueue(failure);
            }
        }
    }

    private FakeFailure? Take(Queue<FakeFailure> queue)
    {
        lock (gate)
        {
            return queue.TryDequeue(out var failure) ? failure : null;
        }
    }
}
