using System.Net;
using JiraAuthServer.Tests.Web;

namespace JiraAuthServer.Tests.Postgres;

/// <summary>The server in process with <c>TOKEN_STORE=postgres</c>: the endpoints, and a database outage as they see it.</summary>
public sealed class PostgresWebTests
{
    private PostgresTestCluster? privateCluster;
    private TestDatabase database = null!;
    private WebTestContext context = null!;

    [TearDown]
    public async Task TearDown()
    {
        await context.DisposeAsync();
        await database.DisposeAsync();
        if (privateCluster is not null)
        {
            await privateCluster.DisposeAsync();
        }
    }

    [Test]
    public async Task The_whole_flow_works_on_the_database_and_no_token_file_is_written()
    {
        await StartAsync(PostgresFixture.Cluster);

        var page = await context.AuthorizeAsync(31337);
        var status = await WebTestContext.JsonOf(await context.Browser.GetAsync(new Uri("/auth/status/31337", UriKind.Relative)));
        var token = await context.Bot.GetAsync(new Uri("/auth/token/31337", UriKind.Relative));
        var stored = await database.ScalarAsync<long>("SELECT count(*) FROM jira_auth_grants WHERE telegram_user_id = 31337");
        var revoke = await context.Bot.DeleteAsync(new Uri("/auth/revoke/31337", UriKind.Relative));
        var after = await context.Bot.GetAsync(new Uri("/auth/token/31337", UriKind.Relative));

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(status.Value<bool>("authenticated"), Is.True);
        Assert.That(token.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await WebTestContext.JsonOf(token)).Value<string>("access_token"), Is.EqualTo(context.Atlassian.LastIssuedTokens!.AccessToken));
        Assert.That(stored, Is.EqualTo(1));
        Assert.That(revoke.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(File.Exists(context.TokensFile), Is.False);
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM jira_auth_states"), Is.Zero, "the used state is gone");
    }

    [Test]
    public async Task While_the_database_is_down_endpoints_answer_503_and_after_it_returns_they_work_again()
    {
        privateCluster = await PostgresFixture.StartPrivateClusterAsync();
        await StartAsync(privateCluster);
        await context.AuthorizeAsync(7);
        var pendingLink = await context.StartAuthorizationAsync(8);
        var callback = await WebTestContext.ConsentAsync(pendingLink.Value<string>("auth_url")!);
        await context.Bot.GetAsync(new Uri("/metrics", UriKind.Relative));

        await privateCluster.StopServerAsync();
        var health = await context.Browser.GetAsync(new Uri("/health", UriKind.Relative));
        var token = await context.Bot.GetAsync(new Uri("/auth/token/7", UriKind.Relative));
        var start = await context.Bot.GetAsync(new Uri("/auth/start?telegram_user_id=9", UriKind.Relative));
        var revoke = await context.Bot.DeleteAsync(new Uri("/auth/revoke/7", UriKind.Relative));
        var page = await context.Browser.GetAsync(new Uri(callback.PathAndQuery, UriKind.Relative));
        var metrics = await context.Bot.GetAsync(new Uri("/metrics", UriKind.Relative));

        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(metrics.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the metrics that show the outage still answer");
        Assert.That(await metrics.Content.ReadAsStringAsync(), Does.Contain("jira_auth_grants_stored 1"), "the last count is kept");
        foreach (var response in new[] { token, start, revoke })
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), response.RequestMessage!.RequestUri!.ToString());
            Assert.That((await WebTestContext.JsonOf(response)).Value<string>("error"), Is.EqualTo("Token store is unavailable"));
            Assert.That(response.Headers.RetryAfter, Is.Not.Null);
        }

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(page.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));

        await privateCluster.StartServerAsync();
        Assert.That((await context.Browser.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await context.Bot.GetAsync(new Uri("/auth/token/7", UriKind.Relative))).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the grant survived");
        Assert.That((await context.Browser.GetAsync(new Uri(callback.PathAndQuery, UriKind.Relative))).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the link still works once the database is back");
    }

    private async Task StartAsync(PostgresTestCluster cluster)
    {
        database = await TestDatabase.CreateAsync(cluster);
        context = await WebTestContext.StartAsync(new Dictionary<string, string?> { ["TOKEN_STORE"] = "postgres", ["DATABASE_URL"] = database.Url });
    }
}
