using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.WebUtilities;

namespace JiraAuthServer.Tests.Web;

public sealed class StartEndpointTests : WebTestBase
{

    [Test]
    public async Task Start_answers_the_old_body_with_a_complete_Atlassian_link()
    {
        var response = await Context.Bot.GetAsync(new Uri("/auth/start?telegram_user_id=123456789", UriKind.Relative));

        var body = await WebTestContext.JsonOf(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
        Assert.That(body.Properties().Select(p => p.Name), Is.EquivalentTo(new[] { "auth_url", "telegram_user_id", "state" }));
        Assert.That(body["telegram_user_id"]!.Type, Is.EqualTo(Newtonsoft.Json.Linq.JTokenType.String));
        Assert.That(body.Value<string>("telegram_user_id"), Is.EqualTo("123456789"));
        var url = new Uri(body.Value<string>("auth_url")!);
        var query = QueryHelpers.ParseQuery(url.Query);
        Assert.That(url.GetLeftPart(UriPartial.Path), Is.EqualTo(Context.Atlassian.BaseUrl + "/authorize"));
        Assert.That(query["audience"].ToString(), Is.EqualTo("api.atlassian.com"));
        Assert.That(query["client_id"].ToString(), Is.EqualTo(Context.Atlassian.ClientId));
        Assert.That(query["redirect_uri"].ToString(), Is.EqualTo(AuthServerFactory.RedirectUri));
        Assert.That(query["scope"].ToString(), Does.Contain("offline_access"));
        Assert.That(query["response_type"].ToString(), Is.EqualTo("code"));
        Assert.That(query["prompt"].ToString(), Is.EqualTo("consent"));
        Assert.That(query["state"].ToString(), Is.EqualTo(body.Value<string>("state")));
        Assert.That(body.Value<string>("state"), Does.Not.Contain("123456789"));
    }

    [TestCase("")]
    [TestCase("abc")]
    [TestCase("0")]
    [TestCase("-5")]
    [TestCase("1.5")]
    [TestCase("1e3")]
    [TestCase("%201")]
    [TestCase("99999999999999999999")]
    [TestCase("9223372036854775808")]
    [TestCase("telegram_user_1")]
    public async Task Start_with_a_missing_or_malformed_id_is_a_400_with_a_message(string id)
    {
        var response = await Context.Bot.GetAsync(new Uri($"/auth/start?telegram_user_id={id}", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await WebTestContext.JsonOf(response)).Value<string>("error"), Does.Contain("telegram_user_id"));
    }

    [Test]
    public async Task Start_without_the_parameter_is_a_400()
    {
        var response = await Context.Bot.GetAsync(new Uri("/auth/start", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await WebTestContext.JsonOf(response)).Value<string>("error"), Is.EqualTo("telegram_user_id is required"));
    }

    [TestCase(null)]
    [TestCase("Bearer wrong-key")]
    [TestCase("Bearer ")]
    [TestCase("Basic dGVzdDp0ZXN0")]
    [TestCase("test-internal-api-key-7Hq2Lx9")]
    public async Task Start_without_the_right_key_is_a_401(string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/auth/start?telegram_user_id=1", UriKind.Relative));
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        var response = await Context.Browser.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await WebTestContext.JsonOf(response)).Value<string>("error"), Is.EqualTo("Unauthorized"));
    }

    [Test]
    public async Task Start_can_stay_open_for_old_bots_when_the_operator_says_so()
    {
        await using var open = await WebTestContext.StartAsync(new Dictionary<string, string?> { ["AUTH_START_REQUIRES_API_KEY"] = "false" });

        var response = await open.Browser.GetAsync(new Uri("/auth/start?telegram_user_id=5", UriKind.Relative));
        var token = await open.Browser.GetAsync(new Uri("/auth/token/5", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(token.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "only /auth/start opens");
    }

    [Test]
    public async Task The_key_is_accepted_case_insensitively_in_the_scheme_only()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/auth/start?telegram_user_id=1", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("bearer", AuthServerFactory.ApiKey.ToUpperInvariant());

        var response = await Context.Browser.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
