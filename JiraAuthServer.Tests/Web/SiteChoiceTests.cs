using System.Net;
using JiraAuthServer.Tests.Fakes;
using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Tests.Web;

/// <summary><c>JIRA_SITE_URL</c> and the kept list of sites, through the whole server and its token file.</summary>
public sealed class SiteChoiceTests
{
    private const long UserId = 626262;
    private static readonly FakeAtlassianSite Wiki = new("cloud-wiki", "https://acme-wiki.atlassian.net", "acme-wiki", ["read:confluence-content.all"]);
    private static readonly FakeAtlassianSite First = new("cloud-first", "https://first.atlassian.net", "First Jira", FakeAtlassianSite.JiraScopes);
    private static readonly FakeAtlassianSite Second = new("cloud-second", "https://second.atlassian.net", "Second Jira", FakeAtlassianSite.JiraScopes);

    [Test]
    public async Task A_configured_site_the_user_cannot_reach_gets_a_page_naming_it_and_nothing_is_stored()
    {
        await using var context = await WebTestContext.StartAsync(new Dictionary<string, string?> { ["JIRA_SITE_URL"] = "https://other.atlassian.net" });
        context.Atlassian.Sites = [Wiki, First];

        var response = await context.AuthorizeAsync(UserId);

        var html = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(html, Does.Contain("Wrong Jira site"));
        Assert.That(html, Does.Contain("This bot works only with https://other.atlassian.net"));
        Assert.That(html, Does.Contain("data-reason=\"wrong_site\""));
        Assert.That(html, Does.Contain("/auth"));
        Assert.That((await context.Bot.GetAsync(new Uri($"/auth/token/{UserId}", UriKind.Relative))).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(Infrastructure.Storage.StoreFiles.ReadJson(context.TokensFile).Properties().Select(property => property.Name), Does.Not.Contain(UserId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public async Task The_configured_site_is_connected_and_every_site_is_kept_in_the_record()
    {
        await using var context = await WebTestContext.StartAsync(new Dictionary<string, string?> { ["JIRA_SITE_URL"] = "https://second.atlassian.net/" });
        context.Atlassian.Sites = [Wiki, First, Second];

        var page = await (await context.AuthorizeAsync(UserId)).Content.ReadAsStringAsync();
        var token = await WebTestContext.JsonOf(await context.Bot.GetAsync(new Uri($"/auth/token/{UserId}", UriKind.Relative)));

        Assert.That(page, Does.Contain("Second Jira"));
        Assert.That(token.Value<string>("jira_cloud_id"), Is.EqualTo("cloud-second"));
        Assert.That(token.Value<string>("jira_site_url"), Is.EqualTo("https://second.atlassian.net"));
        Assert.That(token.Value<string>("jira_site_name"), Is.EqualTo("Second Jira"));
        var record = Infrastructure.Storage.StoreFiles.ReadJson(context.TokensFile)[UserId.ToString(System.Globalization.CultureInfo.InvariantCulture)]!;
        Assert.That(record["jira_sites"]!.Select(site => site.Value<string>("url")), Is.EqualTo(new[] { Wiki.Url, First.Url, Second.Url }));
        Assert.That(record["jira_sites"]![0]!["scopes"]!.Values<string>(), Is.EqualTo(Wiki.Scopes));
        Assert.That(record["jira_sites"]![2]!.Value<string>("id"), Is.EqualTo("cloud-second"));
    }

    [Test]
    public async Task Without_a_configured_site_the_first_with_Jira_scopes_is_connected()
    {
        await using var context = await WebTestContext.StartAsync();
        context.Atlassian.Sites = [Wiki, First, Second];

        await context.AuthorizeAsync(UserId);
        var token = await WebTestContext.JsonOf(await context.Bot.GetAsync(new Uri($"/auth/token/{UserId}", UriKind.Relative)));

        Assert.That(token.Value<string>("jira_site_url"), Is.EqualTo("https://first.atlassian.net"));
    }
}
