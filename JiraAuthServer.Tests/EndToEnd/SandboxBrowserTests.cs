using System.Net;
using Microsoft.Playwright;
using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Tests.EndToEnd;

/// <summary>
/// The user's side in a real browser against the real server in sandbox mode (as <c>dotnet run</c> starts it on a
/// fresh clone): the bot's link, the stand-in consent page, the result page, and the bot's token afterwards.
/// Every page is photographed at phone and desktop width into <c>screenshots/</c> of the test output folder.
/// </summary>
[TestFixture("phone")]
[TestFixture("desktop")]
[NonParallelizable]
public sealed class SandboxBrowserTests(string device)
{
    private HeadlessChromium chromium = null!;
    private SandboxServer server = null!;
    private IBrowserContext window = null!;
    private IPage page = null!;
    private readonly List<string> consoleErrors = [];

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        chromium = await HeadlessChromium.LaunchAsync();
        server = await SandboxServer.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }

        if (chromium is not null)
        {
            await chromium.DisposeAsync();
        }
    }

    [SetUp]
    public Task OpenWindowAsync() => OpenWindowAsync(language: null);

    [TearDown]
    public async Task CloseWindowAsync() => await window.CloseAsync();

    [Test]
    public async Task Approving_lands_on_the_success_page_and_the_bot_then_gets_a_token()
    {
        const long userId = 700100200;
        var authUrl = await server.StartAuthorizationAsync(userId);

        await page.GotoAsync(authUrl);
        await Expect(page.GetByTestId("title")).ToHaveTextAsync("Allow access to your Atlassian account?");
        await Expect(page.GetByTestId("sandbox-banner")).ToBeVisibleAsync();
        await HeadlessChromium.ScreenshotAsync(page, $"consent-{device}");
        await page.GetByTestId("accept").ClickAsync();

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/auth/callback\\?"));
        await Expect(page.GetByTestId("title")).ToHaveTextAsync("Jira connected");
        await Expect(page.GetByTestId("account")).ToContainTextAsync("Sandbox User");
        await Expect(page.GetByTestId("email")).ToHaveTextAsync("sandbox.user@example.com");
        await Expect(page.GetByTestId("site")).ToContainTextAsync("Sandbox Jira");
        await Expect(page.GetByTestId("site")).ToContainTextAsync("https://sandbox.atlassian.net");
        await Expect(page.GetByTestId("telegram")).ToHaveAttributeAsync("href", "https://t.me/" + SandboxServer.BotUsername);
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await HeadlessChromium.ScreenshotAsync(page, $"success-{device}");

        var token = await server.GetTokenAsync(userId);
        var body = JObject.Parse(await token.Content.ReadAsStringAsync());
        Assert.That(token.StatusCode, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        Assert.That(body.Value<string>("access_token"), Does.StartWith("sandbox-access-"));
        Assert.That(body.Value<string>("jira_site_url"), Is.EqualTo("https://sandbox.atlassian.net"));
        Assert.That(body.Value<string>("jira_site_name"), Is.EqualTo("Sandbox Jira"));
        Assert.That(consoleErrors, Is.Empty, "no CSP violation or script error on the way");
    }

    [Test]
    public async Task The_stylesheet_is_applied_and_the_page_fits_the_window()
    {
        await page.GotoAsync(await server.StartAuthorizationAsync(700100201));
        await page.GetByTestId("accept").ClickAsync();

        var background = await page.EvaluateAsync<string>("getComputedStyle(document.querySelector('main.card')).backgroundColor");
        var overflow = await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth");
        Assert.That(background, Is.EqualTo("rgb(255, 255, 255)"), "site.css is served and allowed by the CSP");
        Assert.That(overflow, Is.False, "no sideways scrolling");
    }

    [Test]
    public async Task Declining_shows_the_failure_page_and_nothing_is_connected()
    {
        const long userId = 700100300;

        await page.GotoAsync(await server.StartAuthorizationAsync(userId));
        await page.GetByTestId("decline").ClickAsync();

        await Expect(page.GetByTestId("title")).ToHaveTextAsync("Access was not granted");
        await Expect(page.GetByTestId("next-step")).ToContainTextAsync("/auth");
        await Expect(page.GetByTestId("reason")).ToHaveAttributeAsync("data-reason", "declined");
        await Expect(page.GetByTestId("telegram")).ToHaveAttributeAsync("href", "https://t.me/" + SandboxServer.BotUsername);
        await HeadlessChromium.ScreenshotAsync(page, $"declined-{device}");
        Assert.That((await server.GetTokenAsync(userId)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Opening_a_used_link_again_says_it_cannot_be_used()
    {
        await page.GotoAsync(await server.StartAuthorizationAsync(700100400));
        await page.GetByTestId("accept").ClickAsync();
        await Expect(page.GetByTestId("title")).ToHaveTextAsync("Jira connected");

        await page.ReloadAsync();

        await Expect(page.GetByTestId("title")).ToHaveTextAsync("This link cannot be used");
        await Expect(page.GetByTestId("next-step")).ToContainTextAsync("If you have just connected successfully");
        await HeadlessChromium.ScreenshotAsync(page, $"used-link-{device}");
    }

    [Test]
    public async Task A_Russian_browser_gets_the_pages_in_Russian()
    {
        await window.CloseAsync();
        await OpenWindowAsync("ru-RU,ru;q=0.9,en;q=0.5");

        await page.GotoAsync(await server.StartAuthorizationAsync(700100500));
        await page.GetByTestId("accept").ClickAsync();

        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ru");
        await Expect(page.GetByTestId("title")).ToHaveTextAsync("Jira подключена");
        await Expect(page.GetByTestId("telegram")).ToHaveTextAsync("Вернуться в Telegram");
        await HeadlessChromium.ScreenshotAsync(page, $"success-ru-{device}");

        await page.GotoAsync(await server.StartAuthorizationAsync(700100501));
        await page.GetByTestId("decline").ClickAsync();
        await Expect(page.GetByTestId("title")).ToHaveTextAsync("Доступ не предоставлен");
        await HeadlessChromium.ScreenshotAsync(page, $"declined-ru-{device}");
    }

    [Test]
    public async Task The_success_page_closes_itself_when_the_browser_lets_it()
    {
        await page.GotoAsync(new Uri(server.BaseAddress, "/sandbox").ToString());
        await HeadlessChromium.ScreenshotAsync(page, $"sandbox-home-{device}");
        var authUrl = await server.StartAuthorizationAsync(700100600);

        // Only a window a script opened may close itself, as the bot's in-app browser window typically is.
        var popup = await page.RunAndWaitForPopupAsync(() => page.EvaluateAsync("url => { window.open(url); }", authUrl));
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        popup.Close += (_, _) => closed.TrySetResult();
        await popup.GetByTestId("accept").ClickAsync();
        await Expect(popup.GetByTestId("title")).ToHaveTextAsync("Jira connected");

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(popup.IsClosed, Is.True);
    }

    private async Task OpenWindowAsync(string? language)
    {
        consoleErrors.Clear();
        window = await chromium.Browser.NewContextAsync(HeadlessChromium.Window(device, language));
        window.SetDefaultTimeout(30_000);
        page = await window.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                consoleErrors.Add(message.Text);
            }
        };
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private static IPageAssertions Expect(IPage page) => Assertions.Expect(page);
}
