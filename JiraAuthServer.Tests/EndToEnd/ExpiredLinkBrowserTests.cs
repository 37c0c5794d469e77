namespace JiraAuthServer.Tests.EndToEnd;

/// <summary>A link opened after <c>AUTH_STATE_TTL</c>: its own sandbox whose links live one second.</summary>
[NonParallelizable]
public sealed class ExpiredLinkBrowserTests
{
    [TestCase("phone")]
    [TestCase("desktop")]
    public async Task An_expired_link_shows_the_expired_page_with_how_to_get_a_new_one(string device)
    {
        await using var chromium = await HeadlessChromium.LaunchAsync();
        await using var server = await SandboxServer.StartAsync(new Dictionary<string, string> { ["AUTH_STATE_TTL"] = "1s" });
        var authUrl = await server.StartAuthorizationAsync(700100700);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var window = await chromium.Browser.NewContextAsync(HeadlessChromium.Window(device));
        var page = await window.NewPageAsync();

        await page.GotoAsync(authUrl);
        await page.GetByTestId("accept").ClickAsync();

        await Microsoft.Playwright.Assertions.Expect(page.GetByTestId("title")).ToHaveTextAsync("This link has expired");
        await Microsoft.Playwright.Assertions.Expect(page.GetByTestId("next-step")).ToContainTextAsync("Send /auth to the bot");
        await Microsoft.Playwright.Assertions.Expect(page.GetByTestId("reason")).ToHaveAttributeAsync("data-reason", "link_expired");
        await HeadlessChromium.ScreenshotAsync(page, $"expired-{device}");
        Assert.That((await server.GetTokenAsync(700100700)).StatusCode, Is.EqualTo(System.Net.HttpStatusCode.NotFound));
        await window.CloseAsync();
    }
}
