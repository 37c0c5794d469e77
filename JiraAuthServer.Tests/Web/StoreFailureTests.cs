using System.Net;

namespace JiraAuthServer.Tests.Web;

/// <summary>A token file (its journal) that cannot be written: answers say so (503), nothing is half-changed, nothing crashes.</summary>
public sealed class StoreFailureTests : WebTestBase
{
    [SetUp]
    public async Task BreakTheTokenFile()
    {
        await Context.AuthorizeAsync(1);

        // A folder where the journal goes makes the next append fail, even for root.
        File.Delete(Journal);
        Directory.CreateDirectory(Journal);
    }

    private string Journal => Context.TokensFile + ".journal";

    [TearDown]
    public void RepairTheTokenFile() => Directory.Delete(Journal);

    [Test]
    public async Task Revoke_answers_503_and_keeps_the_grant()
    {
        var revoke = await Context.Bot.DeleteAsync(new Uri("/auth/revoke/1", UriKind.Relative));
        var status = await WebTestContext.JsonOf(await Context.Browser.GetAsync(new Uri("/auth/status/1", UriKind.Relative)));

        Assert.That(revoke.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That((await WebTestContext.JsonOf(revoke)).Value<string>("error"), Is.EqualTo("Token store is unavailable"));
        Assert.That(revoke.Headers.RetryAfter, Is.Not.Null);
        Assert.That(status.Value<bool>("authenticated"), Is.True);
    }

    [Test]
    public async Task A_callback_renders_a_503_page_and_the_user_is_not_connected()
    {
        var page = await Context.AuthorizeAsync(2);
        var status = await WebTestContext.JsonOf(await Context.Browser.GetAsync(new Uri("/auth/status/2", UriKind.Relative)));

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(page.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        Assert.That(await page.Content.ReadAsStringAsync(), Does.Contain("could not save"));
        Assert.That(status.Value<bool>("authenticated"), Is.False);
    }

    [Test]
    public async Task Health_reports_the_store_unavailable_after_a_failed_write()
    {
        await Context.Bot.DeleteAsync(new Uri("/auth/revoke/1", UriKind.Relative));

        var health = await Context.Browser.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
    }
}
