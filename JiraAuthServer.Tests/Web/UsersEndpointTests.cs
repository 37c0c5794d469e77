using System.Net;
using JiraAuthServer.Core.Storage;
using JiraAuthServer.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Tests.Web;

/// <summary><c>GET /auth/users</c> through the whole server: the key, the page shape without tokens, paging, filters and bad input.</summary>
public sealed class UsersEndpointTests : WebTestBase
{
    private static readonly string[] ItemFields =
    [
        "telegram_user_id", "status", "jira_account_id", "jira_email", "jira_site_url", "scope", "expires_at", "updated_at",
        "consented_at", "reauthorization_due_at",
    ];

    [Test]
    public async Task Connected_users_are_listed_in_id_order_page_by_page_without_tokens()
    {
        foreach (var id in new long[] { 900, 80, 7000 })
        {
            Assert.That((await Context.AuthorizeAsync(id)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var repository = Context.Factory.Services.GetRequiredService<ITokenRepository>();
        var dead = (await repository.GetAsync(900, CancellationToken.None))!;
        await repository.ReplaceAsync(900, dead, dead with { ReauthorizationRequiredAt = dead.ExpiresAt }, CancellationToken.None);

        var first = await GetAsync("/auth/users?limit=2");
        var second = await GetAsync($"/auth/users?limit=2&after={first.Value<string>("next")}");
        var all = await GetAsync("/auth/users");
        var connected = await GetAsync("/auth/users?status=connected");
        var reauthorize = await GetAsync("/auth/users?status=reauthorization_required");

        Assert.That(Ids(first), Is.EqualTo(new long[] { 80, 900 }));
        Assert.That(first.Value<string>("next"), Is.Not.Empty);
        Assert.That(Ids(second), Is.EqualTo(new long[] { 7000 }));
        Assert.That(second["next"]!.Type, Is.EqualTo(JTokenType.Null), "the last page says so");
        Assert.That(Ids(all), Is.EqualTo(new long[] { 80, 900, 7000 }));
        Assert.That(Ids(connected), Is.EqualTo(new long[] { 80, 7000 }));
        Assert.That(Ids(reauthorize), Is.EqualTo(new long[] { 900 }));

        var item = (JObject)all["users"]![0]!;
        Assert.That(item.Properties().Select(property => property.Name), Is.EqualTo(ItemFields));
        Assert.That(item.Value<string>("status"), Is.EqualTo("connected"));
        Assert.That(item.Value<string>("jira_account_id"), Is.EqualTo(FakeJiraUser.Default.AccountId));
        Assert.That(item.Value<string>("jira_email"), Is.EqualTo(FakeJiraUser.Default.EmailAddress));
        Assert.That(item.Value<string>("jira_site_url"), Is.EqualTo("https://example.atlassian.net"));
        Assert.That(item.Value<string>("scope"), Does.Contain("offline_access"));
        Assert.That(DateTimeOffset.Parse(item.Value<string>("reauthorization_due_at")!, System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(DateTimeOffset.Parse(item.Value<string>("consented_at")!, System.Globalization.CultureInfo.InvariantCulture).AddDays(365)));
        Assert.That(all["users"]![1]!.Value<string>("status"), Is.EqualTo("reauthorization_required"));

        var body = all.ToString();
        foreach (var tokens in Context.Atlassian.IssuedTokens)
        {
            Assert.That(body, Does.Not.Contain(tokens.AccessToken).And.Not.Contain(tokens.RefreshToken ?? "no refresh token"));
        }

        Assert.That(body, Does.Not.Contain("access_token").And.Not.Contain("refresh_token"));
    }

    [TestCase("limit=0", "limit must be a whole number from 1 to 1000")]
    [TestCase("limit=1001", "limit must be a whole number from 1 to 1000")]
    [TestCase("limit=many", "limit must be a whole number from 1 to 1000")]
    [TestCase("after=%25%25garbage", "after must be the 'next' cursor of a previous page")]
    [TestCase("status=dead", "status must be connected or reauthorization_required")]
    public async Task Bad_parameters_answer_400_saying_what_is_wrong(string query, string error)
    {
        var response = await Context.Bot.GetAsync(new Uri($"/auth/users?{query}", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await WebTestContext.JsonOf(response)).ToString(Newtonsoft.Json.Formatting.None), Is.EqualTo($$"""{"error":"{{error}}"}"""));
    }

    [Test]
    public async Task Without_the_key_the_listing_is_refused()
    {
        await Context.AuthorizeAsync(42);

        var response = await Context.Browser.GetAsync(new Uri("/auth/users", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await response.Content.ReadAsStringAsync()), Does.Not.Contain("42"));
    }

    [Test]
    public async Task The_OpenAPI_document_shows_the_listing_with_its_lock_and_every_answer()
    {
        var document = JObject.Parse(await Context.Browser.GetStringAsync(new Uri("/swagger/v1/swagger.json", UriKind.Relative)));
        var operation = document.SelectToken("paths['/auth/users'].get")!;

        Assert.That(operation, Is.Not.Null);
        Assert.That(operation["security"], Is.Not.Null);
        Assert.That(((JObject)operation["responses"]!).Properties().Select(property => property.Name), Is.SupersetOf(new[] { "200", "400", "401", "429" }));
        Assert.That(operation["parameters"]!.Select(parameter => parameter.Value<string>("name")), Is.EquivalentTo(new[] { "limit", "after", "status" }));
        Assert.That(document.SelectToken("components.schemas.ConnectedUserResponse.properties.reauthorization_due_at"), Is.Not.Null);
        Assert.That(document.SelectToken("components.schemas.ConnectedUserResponse.properties.access_token"), Is.Null);
    }

    private static long[] Ids(JObject page) => [.. page["users"]!.Select(user => user.Value<long>("telegram_user_id"))];

    private async Task<JObject> GetAsync(string path)
    {
        var response = await Context.Bot.GetAsync(new Uri(path, UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
        return await WebTestContext.JsonOf(response);
    }
}
