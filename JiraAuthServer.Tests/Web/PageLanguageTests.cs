using System.Net;
using JiraAuthServer.Tests.Fakes;

namespace JiraAuthServer.Tests.Web;

/// <summary>The pages follow <c>Accept-Language</c>; the JSON API does not change with it.</summary>
public sealed class PageLanguageTests : WebTestBase
{
    private const long UserId = 313131;

    protected override Task<WebTestContext> StartContextAsync() =>
        WebTestContext.StartAsync(new Dictionary<string, string?> { ["TELEGRAM_BOT_USERNAME"] = "@acme_jira_bot" });

    [TestCase(null, "en", "Jira connected")]
    [TestCase("en-GB,en;q=0.9", "en", "Jira connected")]
    [TestCase("ru", "ru", "Jira подключена")]
    [TestCase("ru-RU,ru;q=0.9,en-US;q=0.8", "ru", "Jira подключена")]
    [TestCase("de-DE,de;q=0.9", "en", "Jira connected")]
    [TestCase("de-DE,ru;q=0.5", "ru", "Jira подключена")]
    [TestCase("xx-invalid;;q=", "en", "Jira connected")]
    public async Task The_success_page_speaks_the_browsers_language(string? acceptLanguage, string lang, string title)
    {
        var html = await AuthorizeAsync(acceptLanguage);

        Assert.That(html, Does.Contain($"<html lang=\"{lang}\">"));
        Assert.That(html, Does.Contain(title));
    }

    [Test]
    public async Task A_Russian_failure_page_is_Russian_throughout()
    {
        Context.Atlassian.ConsentMode = FakeConsentMode.AutoDecline;

        var html = await AuthorizeAsync("ru");

        Assert.That(html, Does.Contain("<html lang=\"ru\">"));
        Assert.That(html, Does.Contain("Доступ не предоставлен"));
        Assert.That(html, Does.Contain("Что делать"));
        Assert.That(html, Does.Contain("/auth"));
        Assert.That(html, Does.Contain("Открыть бота в Telegram"));
        Assert.That(html, Does.Not.Contain("Access was not granted"));
    }

    [Test]
    public async Task The_Telegram_button_goes_to_the_bot_on_success_and_failure()
    {
        var success = await AuthorizeAsync(null);
        Context.Atlassian.ConsentMode = FakeConsentMode.AutoDecline;
        var failure = await AuthorizeAsync(null);

        Assert.That(success, Does.Contain("href=\"https://t.me/acme_jira_bot\""));
        Assert.That(success, Does.Contain("Return to Telegram"));
        Assert.That(failure, Does.Contain("href=\"https://t.me/acme_jira_bot\""));
        Assert.That(failure, Does.Contain("Open the bot in Telegram"));
    }

    [Test]
    public async Task Without_a_bot_name_there_is_no_Telegram_button()
    {
        await Context.DisposeAsync();
        Context = await WebTestContext.StartAsync();

        var html = await AuthorizeAsync(null);

        Assert.That(html, Does.Not.Contain("t.me"));
        Assert.That(html, Does.Contain("Jira connected"));
    }

    [Test]
    public async Task The_success_page_shows_name_email_and_site_and_its_script_carries_the_nonce()
    {
        var response = await Context.AuthorizeAsync(UserId);
        var html = await response.Content.ReadAsStringAsync();

        var csp = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        var nonce = System.Text.RegularExpressions.Regex.Match(csp, "'nonce-([^']+)'").Groups[1].Value;
        Assert.That(html, Does.Contain(FakeJiraUser.Default.DisplayName));
        Assert.That(html, Does.Contain(FakeJiraUser.Default.EmailAddress));
        Assert.That(html, Does.Contain("https://example.atlassian.net"));
        Assert.That(nonce, Is.Not.Empty);
        Assert.That(html, Does.Contain($"<script nonce=\"{nonce}\">"));
    }

    [Test]
    public async Task The_JSON_API_is_the_same_in_Russian()
    {
        await AuthorizeAsync(null);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/auth/token/{UserId}", UriKind.Relative));
        request.Headers.AcceptLanguage.ParseAdd("ru-RU");

        var response = await Context.Bot.SendAsync(request);

        var body = await WebTestContext.JsonOf(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body.Value<string>("expires_at"), Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00$"));
        var missing = await Context.Bot.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri("/auth/token/999", UriKind.Relative)) { Headers = { AcceptLanguage = { new System.Net.Http.Headers.StringWithQualityHeaderValue("ru") } } });
        Assert.That((await WebTestContext.JsonOf(missing)).Value<string>("error"), Is.EqualTo("User not authenticated"));
    }

    private async Task<string> AuthorizeAsync(string? acceptLanguage)
    {
        var start = await Context.StartAuthorizationAsync(UserId);
        var callback = await WebTestContext.ConsentAsync(start.Value<string>("auth_url")!);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(callback.PathAndQuery, UriKind.Relative));
        if (acceptLanguage is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        }

        var response = await Context.Browser.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }
}
