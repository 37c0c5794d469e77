using System.Net;
using JiraAuthServer.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace JiraAuthServer.Tests.Web;

/// <summary><c>/health/live</c> and <c>/health/ready</c> beside <c>/health</c>, in process.</summary>
public sealed class HealthEndpointTests : WebTestBase
{
    private FakeTimeProvider clock = null!;

    protected override Task<WebTestContext> StartContextAsync()
    {
        clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        return WebTestContext.StartAsync(clock: clock);
    }

    [TestCase("/health")]
    [TestCase("/health/live")]
    [TestCase("/health/ready")]
    public async Task Each_answers_200_healthy_as_json_that_no_cache_keeps(string path)
    {
        var response = await Context.Browser.GetAsync(new Uri(path, UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.ToString(), Is.EqualTo("application/json; charset=utf-8"));
        Assert.That(response.Headers.CacheControl?.ToString(), Is.EqualTo("no-store"));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("""{"status":"healthy"}"""));
    }

    [Test]
    public async Task A_store_that_cannot_be_written_makes_ready_503_and_leaves_live_200()
    {
        await Context.AuthorizeAsync(1);
        var journal = Context.TokensFile + ".journal";
        File.Delete(journal);
        Directory.CreateDirectory(journal);
        try
        {
            await Context.Bot.DeleteAsync(new Uri("/auth/revoke/1", UriKind.Relative));

            var ready = await Context.Browser.GetAsync(new Uri("/health/ready", UriKind.Relative));
            var health = await Context.Browser.GetAsync(new Uri("/health", UriKind.Relative));
            var live = await Context.Browser.GetAsync(new Uri("/health/live", UriKind.Relative));

            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(await ready.Content.ReadAsStringAsync(), Is.EqualTo("""{"status":"unhealthy","error":"Token store is unavailable"}"""));
            Assert.That(await health.Content.ReadAsStringAsync(), Is.EqualTo(await ready.Content.ReadAsStringAsync()), "/health answers as before, the same body");
            Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        finally
        {
            Directory.Delete(journal);
        }
    }

    [Test]
    public async Task Ready_goes_503_as_soon_as_a_graceful_stop_begins_while_a_refresh_still_drains()
    {
        Assert.That((await Context.AuthorizeAsync(7)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        clock.Advance(TimeSpan.FromMinutes(57));
        Context.Atlassian.TokenResponseDelay = TimeSpan.FromSeconds(2);
        var token = Context.Bot.GetAsync(new Uri("/auth/token/7", UriKind.Relative));
        Assert.That(await Eventually.TrueAsync(() => Context.RefreshTokensSent().Count == 1), Is.True, "the refresh reached Atlassian");

        Context.Factory.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        var ready = await Context.Browser.GetAsync(new Uri("/health/ready", UriKind.Relative));
        var health = await Context.Browser.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(await ready.Content.ReadAsStringAsync(), Is.EqualTo("""{"status":"unhealthy","error":"The server is stopping"}"""));
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK), "/health keeps its meaning: the store still works");
        Assert.That((await token).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the request in flight is answered");
    }
}
