using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using JiraAuthServer.Core.Authorization;
using JiraAuthServer.Tests.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace JiraAuthServer.Tests.Infrastructure.Atlassian;

/// <summary>The fake's own behaviour where other tests lean on it being Atlassian-like: consent, codes and rotation.</summary>
public sealed partial class FakeAtlassianServerTests
{
    private const string DeadGrant = """{"error":"invalid_grant","error_description":"Unknown or invalid refresh token."}""";

    private FakeTimeProvider time = null!;
    private FakeAtlassianServer server = null!;
    private HttpClient http = null!;

    [SetUp]
    public async Task StartFakeAtlassian()
    {
        time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.Zero));
        server = await FakeAtlassianServer.StartAsync(time);
#pragma warning disable CA2000 // The HttpClient owns and disposes the handler.
        http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
#pragma warning restore CA2000
    }

    [TearDown]
    public async Task StopFakeAtlassian()
    {
        http.Dispose();
        await server.DisposeAsync();
    }

    [Test]
    public async Task AutoApproveRedirectsWithACodeAndTheStateAndTheCodeExchangesAsAForm()
    {
        server.ConsentMode = FakeConsentMode.AutoApprove;

        using var authorize = await http.GetAsync(new Uri(AuthorizationUrlBuilder.Build(server.CreateClientOptions(), "state/123")));

        Assert.That(authorize.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        var (code, state) = CodeAndState(authorize.Headers.Location!);
        Assert.That(state, Is.EqualTo("state/123"));
        using var exchange = await PostFormAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = server.ClientId,
            ["client_secret"] = server.ClientSecret,
            ["code"] = code!,
            ["redirect_uri"] = server.RedirectUri!,
        });
        var tokens = JsonNode.Parse(await exchange.Content.ReadAsStringAsync())!;
        Assert.That(tokens["access_token"]!.GetValue<string>(), Is.EqualTo(server.LastIssuedTokens!.AccessToken));
        Assert.That(server.CodeExchangeCount, Is.EqualTo(1));
    }

    [Test]
    public async Task TheConsentPageAcceptsOnceAndIssuesTheCodeForTheNextUser()
    {
        server.NextUser = new FakeJiraUser("557058:next", null, "Next User");
        var page = await http.GetStringAsync(new Uri(AuthorizationUrlBuilder.Build(server.CreateClientOptions(), "s1")));
        var accept = new Uri(new Uri(server.BaseUrl), LinkById().Match(page).Groups["accept"].Value);

        using var approved = await http.GetAsync(accept);
        using var again = await http.GetAsync(accept);

        Assert.That(approved.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        var (code, state) = CodeAndState(approved.Headers.Location!);
        Assert.That(state, Is.EqualTo("s1"));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        using var exchange = await PostJsonAsync(CodeGrant(code!));
        Assert.That(server.FamilyOf(server.LastIssuedTokens!.AccessToken)!.User, Is.EqualTo(server.NextUser));
    }

    [Test]
    public async Task DecliningRedirectsWithAccessDeniedAndTheState()
    {
        var page = await http.GetStringAsync(new Uri(AuthorizationUrlBuilder.Build(server.CreateClientOptions(), "s2")));
        var decline = new Uri(new Uri(server.BaseUrl), LinkById().Match(page).Groups["decline"].Value);

        using var declined = await http.GetAsync(decline);

        Assert.That(declined.Headers.Location, Is.EqualTo(new Uri($"{server.RedirectUri}?error=access_denied&state=s2")));
    }

    [TestCase("client_id=someone-else", "Unknown client_id")]
    [TestCase("audience=auth.atlassian.com", "audience")]
    [TestCase("response_type=token", "response_type")]
    [TestCase("redirect_uri=http%3A%2F%2Fevil.example%2Fcallback", "redirect_uri")]
    public async Task AnAuthorizeRequestWithAWrongParameterGetsAnErrorPageNotARedirect(string replacement, string complaint)
    {
        server.ConsentMode = FakeConsentMode.AutoApprove;
        var url = AuthorizationUrlBuilder.Build(server.CreateClientOptions(), "s3");
        var name = replacement.Split('=')[0];
        var wrong = Regex.Replace(url, $"{name}=[^&]*", replacement);

        using var response = await http.GetAsync(new Uri(wrong));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain(complaint));
    }

    [Test]
    public async Task ACodeIsBoundToItsRedirectUri()
    {
        var code = server.IssueCode();

        using var response = await PostJsonAsync(CodeGrant(code) with { RedirectUri = "http://127.0.0.1/elsewhere" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await Error(response), Is.EqualTo("invalid_grant"));
    }

    [Test]
    public async Task WithoutOfflineAccessNoRefreshTokenIsIssued()
    {
        var code = server.IssueCode(scope: "read:jira-work read:jira-user");

        using var response = await PostJsonAsync(CodeGrant(code));

        var tokens = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.That(tokens.ContainsKey("access_token"), Is.True);
        Assert.That(tokens.ContainsKey("refresh_token"), Is.False);
    }

    [Test]
    public async Task ReusingAReplacedRefreshTokenWithinTheLeewayServesTheCurrentTokens()
    {
        var first = server.IssueTokens();
        using var rotation = await PostJsonAsync(RefreshGrant(first.RefreshToken!));
        var current = server.LastIssuedTokens!;
        time.Advance(server.RefreshReuseLeeway - TimeSpan.FromSeconds(1));

        using var reuse = await PostJsonAsync(RefreshGrant(first.RefreshToken!));

        var served = JsonNode.Parse(await reuse.Content.ReadAsStringAsync())!;
        Assert.That(served["refresh_token"]!.GetValue<string>(), Is.EqualTo(current.RefreshToken));
        Assert.That(served["access_token"]!.GetValue<string>(), Is.EqualTo(current.AccessToken));
        var family = server.FamilyOf(first.RefreshToken!)!;
        Assert.That((family.IsRevoked, family.RefreshCount, family.ReuseCount, server.RefreshReuseCount), Is.EqualTo((false, 2, 1, 1)));
    }

    [Test]
    public async Task ReusingAReplacedRefreshTokenAfterTheLeewayKillsTheWholeFamily()
    {
        var first = server.IssueTokens();
        using var rotation = await PostJsonAsync(RefreshGrant(first.RefreshToken!));
        var current = server.LastIssuedTokens!;
        time.Advance(server.RefreshReuseLeeway + TimeSpan.FromSeconds(1));

        using var reuse = await PostJsonAsync(RefreshGrant(first.RefreshToken!));
        using var afterwards = await PostJsonAsync(RefreshGrant(current.RefreshToken!));

        Assert.That(reuse.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await reuse.Content.ReadAsStringAsync(), Is.EqualTo(DeadGrant));
        Assert.That(await afterwards.Content.ReadAsStringAsync(), Is.EqualTo(DeadGrant));
        Assert.That(server.IsLiveAccessToken(current.AccessToken), Is.False);
        Assert.That((server.FamilyOf(current.RefreshToken!)!.IsRevoked, server.RevokedFamilyCount), Is.EqualTo((true, 1)));
    }

    [Test]
    public async Task AReplacedAccessTokenKeepsWorkingForTenMinutes()
    {
        var first = server.IssueTokens();
        using var rotation = await PostJsonAsync(RefreshGrant(first.RefreshToken!));

        time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        var stillLive = server.IsLiveAccessToken(first.AccessToken);
        time.Advance(TimeSpan.FromSeconds(2));

        Assert.That(stillLive, Is.True);
        Assert.That(server.IsLiveAccessToken(first.AccessToken), Is.False);
        Assert.That(server.IsLiveAccessToken(server.LastIssuedTokens!.AccessToken), Is.True);
    }

    [Test]
    public async Task AWrongClientSecretIsAccessDenied()
    {
        var grant = RefreshGrant(server.IssueTokens().RefreshToken!);
        server.ClientSecret = "rotated-secret";

        using var response = await PostJsonAsync(grant);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("""{"error":"access_denied","error_description":"Unauthorized"}"""));
        Assert.That(server.RefreshCount, Is.Zero);
    }

    [Test]
    public async Task InjectedFailuresComeFirstInOrderAndChangeNothing()
    {
        var tokens = server.IssueTokens();
        server.FailNextTokenRequests(FakeFailure.ServiceUnavailable("7"), count: 2);

        using var first = await PostJsonAsync(RefreshGrant(tokens.RefreshToken!));
        using var second = await PostJsonAsync(RefreshGrant(tokens.RefreshToken!));
        using var third = await PostJsonAsync(RefreshGrant(tokens.RefreshToken!));

        Assert.That(new[] { first.StatusCode, second.StatusCode, third.StatusCode }, Is.EqualTo(new[] { HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK }));
        Assert.That(first.Headers.RetryAfter!.Delta, Is.EqualTo(TimeSpan.FromSeconds(7)));
        Assert.That((server.TokenRequestCount, server.RefreshCount, server.RefreshReuseCount), Is.EqualTo((3, 1, 0)));
    }

    [Test]
    public async Task MyselfAnswersOnlyForACloudWithJiraScopes()
    {
        server.Sites = [new FakeAtlassianSite("confluence-only", "https://wiki.atlassian.net", "wiki", ["read:confluence-content.all"]), FakeAtlassianSite.Default];
        var accessToken = server.IssueTokens().AccessToken;

        using var confluence = await GetWithBearerAsync($"/ex/jira/confluence-only/rest/api/3/myself", accessToken);
        using var jira = await GetWithBearerAsync($"/ex/jira/{FakeAtlassianSite.DefaultCloudId}/rest/api/3/myself", accessToken);
        using var noToken = await GetWithBearerAsync($"/ex/jira/{FakeAtlassianSite.DefaultCloudId}/rest/api/3/myself", "not-a-token");

        Assert.That(new[] { confluence.StatusCode, jira.StatusCode, noToken.StatusCode }, Is.EqualTo(new[] { HttpStatusCode.NotFound, HttpStatusCode.OK, HttpStatusCode.Unauthorized }));
    }

    private static (string? Code, string? State) CodeAndState(Uri location)
    {
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(location.Query);
        return (query.GetValueOrDefault("code").ToString(), query.GetValueOrDefault("state").ToString());
    }

    private static async Task<string?> Error(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())?["error"]?.GetValue<string>();

    private TokenGrant CodeGrant(string code) => new(server.ClientId, server.ClientSecret, "authorization_code", code, server.RedirectUri, null);

    private TokenGrant RefreshGrant(string refreshToken) => new(server.ClientId, server.ClientSecret, "refresh_token", null, null, refreshToken);

    private async Task<HttpResponseMessage> PostJsonAsync(TokenGrant grant)
    {
        var body = new JsonObject { ["grant_type"] = grant.GrantType, ["client_id"] = grant.ClientId, ["client_secret"] = grant.ClientSecret };
        foreach (var (name, value) in new[] { ("code", grant.Code), ("redirect_uri", grant.RedirectUri), ("refresh_token", grant.RefreshToken) })
        {
            if (value is not null)
            {
                body[name] = value;
            }
        }

        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        return await http.PostAsync(new Uri($"{server.BaseUrl}/oauth/token"), content);
    }

    private async Task<HttpResponseMessage> PostFormAsync(Dictionary<string, string> fields)
    {
        using var content = new FormUrlEncodedContent(fields);
        return await http.PostAsync(new Uri($"{server.BaseUrl}/oauth/token"), content);
    }

    private async Task<HttpResponseMessage> GetWithBearerAsync(string path, string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"{server.BaseUrl}{path}"));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        return await http.SendAsync(request);
    }

    [GeneratedRegex("""id="accept" href="(?<accept>[^"]+)".*id="decline" href="(?<decline>[^"]+)""", RegexOptions.Singleline)]
    private static partial Regex LinkById();

    private sealed record TokenGrant(string ClientId, string ClientSecret, string GrantType, string? Code, string? RedirectUri, string? RefreshToken);
}
