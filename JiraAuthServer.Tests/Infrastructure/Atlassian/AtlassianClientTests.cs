using JiraAuthServer.Core.Atlassian;
using JiraAuthServer.Core.Options;
using JiraAuthServer.Infrastructure.Atlassian;
using JiraAuthServer.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace JiraAuthServer.Tests.Infrastructure.Atlassian;

/// <summary>The real <see cref="AtlassianClient"/> against the fake Atlassian over loopback.</summary>
public sealed class AtlassianClientTests
{
    private FakeTimeProvider time = null!;
    private FakeAtlassianServer server = null!;
    private HttpClient http = null!;
    private RecordingLogger<AtlassianClient> logger = null!;

    [SetUp]
    public async Task StartFakeAtlassian()
    {
        time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.Zero));
        server = await FakeAtlassianServer.StartAsync(time);
        http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        logger = new RecordingLogger<AtlassianClient>();
    }

    [TearDown]
    public async Task StopFakeAtlassian()
    {
        http.Dispose();
        await server.DisposeAsync();
    }

    [Test]
    public async Task ExchangeCodeReturnsTheTokensAtlassianServed()
    {
        var tokens = await Client().ExchangeCodeAsync(server.IssueCode(), CancellationToken.None);

        var served = server.LastIssuedTokens!;
        Assert.That(tokens, Is.EqualTo(new AtlassianTokenResponse(served.AccessToken, served.RefreshToken, TimeSpan.FromHours(1), FakeAtlassianServer.DefaultScopes, "Bearer")));
        Assert.That(served.RefreshToken, Is.Not.Null);
    }

    [Test]
    public async Task ExchangeCodeSendsAJsonBodyWithEveryFieldAndAcceptsJson()
    {
        var code = server.IssueCode();

        await Client().ExchangeCodeAsync(code, CancellationToken.None);

        var request = server.TokenRequests.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(request.ContentType, Does.StartWith("application/json"));
            Assert.That(request.Accept, Is.EqualTo("application/json"));
            Assert.That(request.Fields, Is.EquivalentTo(new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code",
                ["client_id"] = server.ClientId,
                ["client_secret"] = server.ClientSecret,
                ["code"] = code,
                ["redirect_uri"] = server.RedirectUri!,
            }));
        }
    }

    [Test]
    public async Task ExchangeCodeACodeWorksOnlyOnce()
    {
        var client = Client();
        var code = server.IssueCode();
        await client.ExchangeCodeAsync(code, CancellationToken.None);

        var failure = Assert.ThrowsAsync<AtlassianException>(() => client.ExchangeCodeAsync(code, CancellationToken.None));

        AssertFailure(failure, AtlassianFailureKind.GrantRejected, 403, "invalid_grant");
    }

    [Test]
    public void ExchangeCodeAnExpiredCodeIsRejected()
    {
        var code = server.IssueCode();
        time.Advance(server.AuthorizationCodeLifetime + TimeSpan.FromSeconds(1));

        var failure = Assert.ThrowsAsync<AtlassianException>(() => Client().ExchangeCodeAsync(code, CancellationToken.None));

        AssertFailure(failure, AtlassianFailureKind.GrantRejected, 403, "invalid_grant");
    }

    [Test]
    public async Task RefreshReturnsANewRefreshTokenEachTime()
    {
        var client = Client();
        var first = await client.ExchangeCodeAsync(server.IssueCode(), CancellationToken.None);

        var second = await client.RefreshAsync(first.RefreshToken!, CancellationToken.None);
        var third = await client.RefreshAsync(second.RefreshToken!, CancellationToken.None);

        Assert.That(new[] { first.RefreshToken, second.RefreshToken, third.RefreshToken }, Is.Unique.And.None.Null);
        Assert.That(third.AccessToken, Is.EqualTo(server.LastIssuedTokens!.AccessToken));
        Assert.That(server.FamilyOf(third.RefreshToken!)!.RefreshCount, Is.EqualTo(2));
    }

    [Test]
    public async Task RefreshAnOldRefreshTokenAfterTheLeewayIsRejectedAndTakesTheNewOneWithIt()
    {
        var client = Client();
        var first = await client.ExchangeCodeAsync(server.IssueCode(), CancellationToken.None);
        var second = await client.RefreshAsync(first.RefreshToken!, CancellationToken.None);
        time.Advance(server.RefreshReuseLeeway + TimeSpan.FromSeconds(1));

        var reuse = Assert.ThrowsAsync<AtlassianException>(() => client.RefreshAsync(first.RefreshToken!, CancellationToken.None));
        var current = Assert.ThrowsAsync<AtlassianException>(() => client.RefreshAsync(second.RefreshToken!, CancellationToken.None));

        AssertFailure(reuse, AtlassianFailureKind.GrantRejected, 403, "invalid_grant");
        AssertFailure(current, AtlassianFailureKind.GrantRejected, 403, "invalid_grant");
    }

    [Test]
    public async Task RefreshAnAnswerWithoutARefreshTokenGivesNull()
    {
        var client = Client();
        var first = await client.ExchangeCodeAsync(server.IssueCode(), CancellationToken.None);
        server.OmitRefreshTokenOnRefresh = true;

        var refreshed = await client.RefreshAsync(first.RefreshToken!, CancellationToken.None);

        Assert.That(refreshed.RefreshToken, Is.Null);
        Assert.That(refreshed.AccessToken, Is.Not.EqualTo(first.AccessToken));
    }

    [Test]
    public async Task RefreshAMinimalAnswerGetsDefaults()
    {
        server.FailNextTokenRequests(new FakeFailure(200, """{"access_token":"minimal-access-token"}"""));

        var tokens = await Client().RefreshAsync("some-refresh-token", CancellationToken.None);

        Assert.That(tokens, Is.EqualTo(new AtlassianTokenResponse("minimal-access-token", null, TimeSpan.FromSeconds(3600), string.Empty, "Bearer")));
    }

    [Test]
    public void RefreshUnauthorizedClientMeansTheGrantIsDead()
    {
        var tokens = server.IssueTokens();
        server.FailNextTokenRequests(FakeFailure.UnauthorizedClient());

        var failure = Assert.ThrowsAsync<AtlassianException>(() => Client().RefreshAsync(tokens.RefreshToken!, CancellationToken.None));

        AssertFailure(failure, AtlassianFailureKind.GrantRejected, 403, "unauthorized_client");
    }

    [Test]
    public void RefreshWrongClientSecretIsRejectedNotAGrantProblem()
    {
        var tokens = server.IssueTokens();

        var failure = Assert.ThrowsAsync<AtlassianException>(() => Client(options => options.ClientSecret = "not-the-secret").RefreshAsync(tokens.RefreshToken!, CancellationToken.None));

        AssertFailure(failure, AtlassianFailureKind.Rejected, 401, "access_denied");
        Assert.That(server.FamilyOf(tokens.RefreshToken!)!.IsRevoked, Is.False);
    }

    [TestCase(500)]
    [TestCase(502)]
    [TestCase(503)]
    public void RefreshServerErrorsAreTransient(int status)
    {
        var tokens = server.IssueTokens();
        server.FailNextTokenRequests(status == 503 ? FakeFailure.ServiceUnavailable() : FakeFailure.ServerError() with { StatusCode = status });

        var failure = Assert.ThrowsAsync<AtlassianException>(() => Client().RefreshAsync(tokens.RefreshToken!, CancellationToken.None));

        AssertFailure(failure, AtlassianFailureKind.Transient, status, status == 503 ? null : "server_error");
        Assert.That(failure!.RetryAfter, Is.Null);
    }

    [Test]
    public void RefreshTooManyRequestsIsTransientWithRetryAfterInSeconds()
    {
        server.FailNextTokenRequests(FakeFailure.TooManyRequests("7"));

        var failure = Assert.ThrowsAsync<AtlassianException>(() => Client().RefreshAsync(server.IssueTokens().RefreshToken!, CancellationToken.None));

        AssertFailure(failure, AtlassianFailureKind.Transient, 429, null);
        Assert.That(failure!.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(7)));
    }

    [Test]
    public void RefreshRetryAfterAsAnHttpDateIsTheTimeUntilThen()
    {
        var until = time.GetUtcNow().AddMinutes(2);
        server.FailNextTokenRequests(FakeFailure.ServiceUnavailable(until.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));

        var failure = Assert.ThrowsAsync<AtlassianException>(() => Client().RefreshAsync(server.IssueTokens().RefreshToken!, CancellationToken.None));

        Assert.That(failure!.RetryAfter, Is.EqualTo(TimeSpan.FromMinutes(2)), "counted on the server's clock");
    }

    [Test]
    public void RefreshAnAnswerSlowerThanTheTimeoutIsTransient()
    {
        server.TokenResponseDelay = TimeSpan.FromSeconds(30);

        var failure = Assert.ThrowsAsync<AtlassianException>(() => Client(options => options.RequestTimeout = TimeSpan.FromMilliseconds(200)).RefreshAsync(server.IssueTokens().RefreshToken!, CancellationToken.None));

        Assert.That(failure!.Kind, Is.EqualTo(AtlassianFailureKind.Transient));
        Assert.That(failure.InnerException, Is.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task RefreshARetryAfterATimeoutThatRotatedAnywayGetsTheCurrentTokensWithinTheLeeway()
    {
        var seeded = server.IssueTokens();
        server.TokenResponseDelay = TimeSpan.FromSeconds(30);
        Assert.ThrowsAsync<AtlassianException>(() => Client(options => options.RequestTimeout = TimeSpan.FromMilliseconds(200)).RefreshAsync(seeded.RefreshToken!, CancellationToken.None));
        server.TokenResponseDelay = TimeSpan.Zero;

        var retried = await Client().RefreshAsync(seeded.RefreshToken!, CancellationToken.None);

        var family = server.FamilyOf(seeded.RefreshToken!)!;
        Assert.That(retried.RefreshToken, Is.EqualTo(family.CurrentRefreshToken).And.Not.EqualTo(seeded.RefreshToken));
        Assert.That(family.ReuseCount, Is.EqualTo(1));
    }

    [Test]
    public void RefreshTheCallersOwnCancellationIsNotATimeout()
    {
        server.TokenResponseDelay = TimeSpan.FromSeconds(30);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        Assert.That(
            async () => await Client().RefreshAsync(server.IssueTokens().RefreshToken!, cancellation.Token),
            Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task RefreshAnUnreachableAtlassianIsTransient()
    {
        var options = server.CreateClientOptions();
        await server.DisposeAsync();

        var failure = Assert.ThrowsAsync<AtlassianException>(() => Client(options).RefreshAsync("any-refresh-token", CancellationToken.None));

        Assert.That(failure!.Kind, Is.EqualTo(AtlassianFailureKind.Transient));
        Assert.That(failure.InnerException, Is.InstanceOf<HttpRequestException>());
    }

    [Test]
    public void RefreshAnOversizedAnswerFailsInsteadOfBeingRead()
    {
        server.TokenResponsePaddingBytes = 64 * 1024 * 1024;

        var failure = Assert.ThrowsAsync<AtlassianException>(() => Client().RefreshAsync(server.IssueTokens().RefreshToken!, CancellationToken.None));

        AssertFailure(failure, AtlassianFailureKind.Transient, 200, null);
        Assert.That(failure!.Message, Does.Contain("bytes"));
    }

    [Test]
    public void RefreshASuccessThatIsNotJsonIsTransient()
    {
        server.FailNextTokenRequests(new FakeFailure(200, "<html><body>Maintenance</body></html>", "text/html"));

        var failure = Assert.ThrowsAsync<AtlassianException>(() => Client().RefreshAsync("any-refresh-token", CancellationToken.None));

        AssertFailure(failure, AtlassianFailureKind.Transient, 200, null);
    }

    [Test]
    public void RefreshASuccessWithoutAnAccessTokenIsRejected()
    {
        server.FailNextTokenRequests(new FakeFailure(200, """{"token_type":"Bearer","expires_in":3600}"""));

        var failure = Assert.ThrowsAsync<AtlassianException>(() => Client().RefreshAsync("any-refresh-token", CancellationToken.None));

        AssertFailure(failure, AtlassianFailureKind.Rejected, 200, null);
    }

    [Test]
    public async Task AccessibleResourcesListsEverySiteInOrder()
    {
        var confluence = new FakeAtlassianSite("cloud-a", "https://first.atlassian.net", "first", ["read:confluence-content.all"]);
        var jira = new FakeAtlassianSite("cloud-a", "https://first.atlassian.net", "first", FakeAtlassianSite.JiraScopes);
        var other = new FakeAtlassianSite("cloud-b", "https://second.atlassian.net", "second", ["read:jira-work"]);
        server.Sites = [confluence, jira, other];

        var sites = await Client().GetAccessibleResourcesAsync(server.IssueTokens().AccessToken, CancellationToken.None);

        Assert.That(sites.Select(site => (site.CloudId, site.Url, site.Name, site.HasJiraScopes)), Is.EqualTo(new[]
        {
            ("cloud-a", "https://first.atlassian.net", "first", false),
            ("cloud-a", "https://first.atlassian.net", "first", true),
            ("cloud-b", "https://second.atlassian.net", "second", true),
        }));
        Assert.That(sites[1].Scopes, Is.EqualTo(FakeAtlassianSite.JiraScopes));
    }

    [Test]
    public async Task AccessibleResourcesMalformedEntriesAreSkipped()
    {
        server.FailNextApiRequests(new FakeFailure(200, """[{"id":"no-url"},42,{"url":"https://no-id.atlassian.net"},{"id":"ok","url":"https://ok.atlassian.net","scopes":"not-a-list"}]"""));

        var sites = await Client().GetAccessibleResourcesAsync("any-access-token", CancellationToken.None);

        Assert.That(sites, Has.Count.EqualTo(1));
        Assert.That(sites[0].CloudId, Is.EqualTo("ok"));
        Assert.That(sites[0].Name, Is.Empty);
        Assert.That(sites[0].Scopes, Is.Empty);
    }

    [Test]
    public void AccessibleResourcesADeadAccessTokenIsRejected()
    {
        var failure = Assert.ThrowsAsync<AtlassianException>(() => Client().GetAccessibleResourcesAsync("not-a-live-token", CancellationToken.None));

        AssertFailure(failure, AtlassianFailureKind.Rejected, 401, null);
    }

    [Test]
    public void AccessibleResourcesRateLimitIsTransient()
    {
        server.FailNextApiRequests(FakeFailure.TooManyRequests("3"));

        var failure = Assert.ThrowsAsync<AtlassianException>(() => Client().GetAccessibleResourcesAsync(server.IssueTokens().AccessToken, CancellationToken.None));

        AssertFailure(failure, AtlassianFailureKind.Transient, 429, null);
        Assert.That(failure!.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(3)));
    }

    [Test]
    public async Task MyselfReturnsTheIdentityWithEmail()
    {
        var user = new FakeJiraUser("557058:visible", "visible@example.com", "Visible User");

        var identity = await Client().GetMyselfAsync(server.IssueTokens(user).AccessToken, FakeAtlassianSite.DefaultCloudId, CancellationToken.None);

        Assert.That(identity, Is.EqualTo(new global::JiraAuthServer.Core.Grants.JiraIdentity("557058:visible", "visible@example.com", "Visible User")));
    }

    [Test]
    public async Task MyselfAHiddenEmailIsAbsentNotAnError()
    {
        var user = new FakeJiraUser("557058:hidden", null, "Hidden Email");

        var identity = await Client().GetMyselfAsync(server.IssueTokens(user).AccessToken, FakeAtlassianSite.DefaultCloudId, CancellationToken.None);

        Assert.That(identity, Is.EqualTo(new global::JiraAuthServer.Core.Grants.JiraIdentity("557058:hidden", null, "Hidden Email")));
    }

    [Test]
    public void MyselfAnUnknownCloudIsRejected()
    {
        var failure = Assert.ThrowsAsync<AtlassianException>(() => Client().GetMyselfAsync(server.IssueTokens().AccessToken, "unknown cloud/../id", CancellationToken.None));

        AssertFailure(failure, AtlassianFailureKind.Rejected, 404, null);
    }

    [Test]
    public void MyselfAnAnswerWithoutAccountIdIsRejected()
    {
        server.FailNextApiRequests(new FakeFailure(200, """{"displayName":"Nobody"}"""));

        var failure = Assert.ThrowsAsync<AtlassianException>(() => Client().GetMyselfAsync("any-access-token", FakeAtlassianSite.DefaultCloudId, CancellationToken.None));

        AssertFailure(failure, AtlassianFailureKind.Rejected, 200, null);
    }

    [Test]
    public async Task NoFailureMessageOrLogLineCarriesATokenACodeOrTheSecret()
    {
        var client = Client();
        var code = server.IssueCode();
        var tokens = await client.ExchangeCodeAsync(code, CancellationToken.None);
        var failures = new List<Exception?>
        {
            Assert.ThrowsAsync<AtlassianException>(() => client.ExchangeCodeAsync(code, CancellationToken.None)),
            Assert.ThrowsAsync<AtlassianException>(() => Client(options => options.ClientSecret = server.ClientSecret + "-wrong").RefreshAsync(tokens.RefreshToken!, CancellationToken.None)),
        };
        server.FailNextTokenRequests(FakeFailure.UnauthorizedClient());
        failures.Add(Assert.ThrowsAsync<AtlassianException>(() => client.RefreshAsync(tokens.RefreshToken!, CancellationToken.None)));
        server.FailNextTokenRequests(new FakeFailure(400, $$"""{"error":"{{tokens.RefreshToken}}","error_description":"echo {{tokens.RefreshToken}}"}"""));
        failures.Add(Assert.ThrowsAsync<AtlassianException>(() => client.RefreshAsync(tokens.RefreshToken!, CancellationToken.None)));
        server.TokenResponseDelay = TimeSpan.FromSeconds(30);
        failures.Add(Assert.ThrowsAsync<AtlassianException>(() => Client(options => options.RequestTimeout = TimeSpan.FromMilliseconds(200)).RefreshAsync(tokens.RefreshToken!, CancellationToken.None)));
        server.Revoke(tokens.AccessToken);
        failures.Add(Assert.ThrowsAsync<AtlassianException>(() => client.GetAccessibleResourcesAsync(tokens.AccessToken, CancellationToken.None)));
        failures.Add(Assert.ThrowsAsync<AtlassianException>(() => client.GetMyselfAsync(tokens.AccessToken, FakeAtlassianSite.DefaultCloudId, CancellationToken.None)));

        var written = failures.Select(failure => failure!.ToString()).Concat(logger.Lines).ToList();
        Assert.That(written, Has.Count.GreaterThan(failures.Count));
        foreach (var secret in new[] { code, tokens.AccessToken, tokens.RefreshToken!, server.ClientSecret })
        {
            Assert.That(written, Has.None.Contains(secret));
        }
    }

    [Test]
    public async Task AddAtlassianClientRegistersTheTypedClient()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(Options.Create(server.CreateClientOptions()));
        services.AddAtlassianClient();
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<IAtlassianClient>();
        var tokens = await client.ExchangeCodeAsync(server.IssueCode(), CancellationToken.None);

        Assert.That(client, Is.InstanceOf<AtlassianClient>());
        Assert.That(tokens.AccessToken, Is.EqualTo(server.LastIssuedTokens!.AccessToken));
    }

    private AtlassianClient Client(Action<AtlassianOptions>? configure = null)
    {
        var options = server.CreateClientOptions();
        configure?.Invoke(options);
        return Client(options);
    }

    private AtlassianClient Client(AtlassianOptions options) => new(http, Options.Create(options), logger, time);

    private static void AssertFailure(AtlassianException? failure, AtlassianFailureKind kind, int? status, string? errorCode)
    {
        Assert.That(failure, Is.Not.Null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(failure!.Kind, Is.EqualTo(kind));
            Assert.That(failure.StatusCode, Is.EqualTo(status));
            Assert.That(failure.ErrorCode, Is.EqualTo(errorCode));
        }
    }
}
