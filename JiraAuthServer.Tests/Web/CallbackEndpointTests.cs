using System.Net;
using JiraAuthServer.Tests.Fakes;

namespace JiraAuthServer.Tests.Web;

public sealed class CallbackEndpointTests : WebTestBase
{
    private const long UserId = 777000111;

    [Test]
    public async Task A_completed_authorization_renders_the_success_page_with_account_and_site()
    {
        var response = await Context.AuthorizeAsync(UserId);

        var html = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        Assert.That(html, Does.Contain("Jira connected"));
        Assert.That(html, Does.Contain(FakeJiraUser.Default.EmailAddress));
        Assert.That(html, Does.Contain("https://example.atlassian.net"));
        AssertPageHeaders(response);
    }

    [Test]
    public async Task The_page_names_the_user_when_Atlassian_hides_the_email()
    {
        Context.Atlassian.NextUser = new FakeJiraUser("acc-hidden", null, "Hidden Email");

        var html = await (await Context.AuthorizeAsync(UserId)).Content.ReadAsStringAsync();

        Assert.That(html, Does.Contain("Hidden Email"));
    }

    [Test]
    public async Task Declining_renders_the_failure_page_and_stores_nothing()
    {
        Context.Atlassian.ConsentMode = FakeConsentMode.AutoDecline;

        var response = await Context.AuthorizeAsync(UserId);

        await AssertFailurePage(response, HttpStatusCode.Forbidden, "not granted");
    }

    [TestCase("/auth/callback")]
    [TestCase("/auth/callback?code=abc")]
    [TestCase("/auth/callback?code=abc&state=telegram_user_777000111")]
    [TestCase("/auth/callback?code=abc&state=")]
    [TestCase("/auth/callback?code=abc&state=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [TestCase("/auth/callback?error=access_denied")]
    public async Task A_callback_without_a_state_this_server_issued_is_refused_without_exchanging_the_code(string url)
    {
        var response = await Context.Browser.GetAsync(new Uri(url, UriKind.Relative));

        await AssertFailurePage(response, HttpStatusCode.BadRequest, "This link cannot be used");
        Assert.That(Context.Atlassian.CodeExchangeCount, Is.Zero);
    }

    [Test]
    public async Task A_callback_without_a_code_is_a_400_page()
    {
        var start = await Context.StartAuthorizationAsync(UserId);

        var response = await Context.Browser.GetAsync(new Uri($"/auth/callback?state={start.Value<string>("state")}", UriKind.Relative));

        await AssertFailurePage(response, HttpStatusCode.BadRequest, "did not send back");
    }

    [Test]
    public async Task A_replayed_callback_is_refused()
    {
        var start = await Context.StartAuthorizationAsync(UserId);
        var callback = await WebTestContext.ConsentAsync(start.Value<string>("auth_url")!);
        await Context.Browser.GetAsync(new Uri(callback.PathAndQuery, UriKind.Relative));

        var replay = await Context.Browser.GetAsync(new Uri(callback.PathAndQuery, UriKind.Relative));

        Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(Context.Atlassian.CodeExchangeCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Atlassian_failing_renders_a_502_page_and_stores_nothing()
    {
        Context.Atlassian.FailNextTokenRequests(FakeFailure.ServerError());

        var response = await Context.AuthorizeAsync(UserId);

        await AssertFailurePage(response, HttpStatusCode.BadGateway, "Atlassian");
    }

    [Test]
    public async Task Atlassian_failing_after_the_code_exchange_stores_nothing()
    {
        Context.Atlassian.FailNextApiRequests(FakeFailure.ServiceUnavailable());

        var response = await Context.AuthorizeAsync(UserId);

        await AssertFailurePage(response, HttpStatusCode.BadGateway, "Atlassian");
    }

    [Test]
    public async Task An_account_without_Jira_renders_a_page_that_says_so()
    {
        Context.Atlassian.Sites = [new FakeAtlassianSite("conf-1", "https://wiki.atlassian.net", "wiki", ["read:confluence-content.all"])];

        var response = await Context.AuthorizeAsync(UserId);

        await AssertFailurePage(response, HttpStatusCode.Forbidden, "No Jira site");
    }

    [Test]
    public async Task Query_text_never_reaches_the_page_unencoded()
    {
        var response = await Context.Browser.GetAsync(new Uri("/auth/callback?code=%3Cscript%3Ealert(1)%3C/script%3E&state=%3Cb%3E&error=%3Cimg%20src=x%3E", UriKind.Relative));

        var html = await response.Content.ReadAsStringAsync();
        Assert.That(html, Does.Not.Contain("<script>alert"));
        Assert.That(html, Does.Not.Contain("<img src=x>"));
        Assert.That(html, Does.Not.Contain("<b>"));
    }

    private async Task AssertFailurePage(HttpResponseMessage response, HttpStatusCode status, string words)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        Assert.That(html, Does.Contain(words));
        Assert.That(html, Does.Contain("/auth"), "says how to get a new link");
        AssertPageHeaders(response);
        var status200 = await Context.Bot.GetAsync(new Uri($"/auth/status/{UserId}", UriKind.Relative));
        Assert.That((await WebTestContext.JsonOf(status200)).Value<bool>("authenticated"), Is.False, "nothing stored");
    }

    private static void AssertPageHeaders(HttpResponseMessage response)
    {
        var csp = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        Assert.That(csp, Does.Contain("default-src 'none'"));
        Assert.That(csp, Does.Contain("script-src 'nonce-"));
        Assert.That(csp, Does.Not.Contain("unsafe-inline"));
        Assert.That(response.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }));
        Assert.That(response.Headers.GetValues("Referrer-Policy"), Is.EqualTo(new[] { "no-referrer" }));
        Assert.That(response.Headers.GetValues("X-Frame-Options"), Is.EqualTo(new[] { "DENY" }));
        Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
    }
}
