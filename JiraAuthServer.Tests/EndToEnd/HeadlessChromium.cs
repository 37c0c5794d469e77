using Microsoft.Playwright;

namespace JiraAuthServer.Tests.EndToEnd;

/// <summary>
/// Debian's Chromium driven by Playwright: no browser is downloaded, and the tests are skipped, saying why, when
/// <c>/usr/bin/chromium</c> is missing (<c>scripts/test-prerequisites.sh</c> installs it as root).
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly string[] Flags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright playwright;

    private HeadlessChromium(IPlaywright playwright, IBrowser browser)
    {
        this.playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    /// <summary>Phone (390×844, touch, 2× pixels) and desktop (1280×800) windows.</summary>
    public static BrowserNewContextOptions Window(string device, string? language = null)
    {
        var options = device switch
        {
            "phone" => new BrowserNewContextOptions
            {
                ViewportSize = new ViewportSize { Width = 390, Height = 844 },
                DeviceScaleFactor = 2,
                IsMobile = true,
                HasTouch = true,
            },
            "desktop" => new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } },
            _ => throw new ArgumentOutOfRangeException(nameof(device), device, "phone or desktop"),
        };
        options.Locale = language?.Split(',')[0] ?? "en-US";
        options.ExtraHTTPHeaders = new Dictionary<string, string> { ["Accept-Language"] = language ?? "en-US,en;q=0.9" };
        return options;
    }

    public static async Task<HeadlessChromium> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            Assert.Ignore($"Browser tests skipped: {ExecutablePath} is missing. Install Debian's chromium (apt-get install chromium; ./test.sh does it when run as root).");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = Flags,
            Timeout = 60_000,
        });
        return new HeadlessChromium(playwright, browser);
    }

    /// <summary>Saves a full-page PNG into <c>screenshots/</c> of the test output folder and attaches it to the result.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.AddTestAttachment(path, name);
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        playwright.Dispose();
    }
}
