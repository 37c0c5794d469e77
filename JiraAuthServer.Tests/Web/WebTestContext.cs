using System.Net;
using JiraAuthServer.Tests.Fakes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Tests.Web;

/// <summary>One fake Atlassian, one temporary folder and one in-process server per test.</summary>
public sealed class WebTestContext : IAsyncDisposable
{
    private WebTestContext(FakeAtlassianServer atlassian, string folder, AuthServerFactory factory)
    {
        Atlassian = atlassian;
        Folder = folder;
        Factory = factory;
        Bot = factory.CreateBotClient();
        Browser = factory.CreateBrowserClient();
    }

    public FakeAtlassianServer Atlassian { get; }

    public string Folder { get; }

    public string TokensFile => Path.Combine(Folder, "user_tokens.json");

    public AuthServerFactory Factory { get; }

    /// <summary>Sends the API key, as the bot does.</summary>
    public HttpClient Bot { get; }

    /// <summary>Sends no key, as the user's browser or a stranger does.</summary>
    public HttpClient Browser { get; }

    /// <param name="overrides">Settings by their environment-variable names.</param>
    /// <param name="clock">The server's and the fake's clock.</param>
    /// <param name="testServices">Services to swap in.</param>
    /// <param name="kestrel">A real Kestrel on a loopback port instead of the in-memory test server: for raw request
    /// targets and bodies that must really stream.</param>
    public static async Task<WebTestContext> StartAsync(IDictionary<string, string?>? overrides = null, TimeProvider? clock = null, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? testServices = null, bool kestrel = false)
    {
        var atlassian = await FakeAtlassianServer.StartAsync(clock);
        atlassian.ConsentMode = FakeConsentMode.AutoApprove;
        var folder = Directory.CreateTempSubdirectory("jira-auth-web-").FullName;
        var factory = new AuthServerFactory(atlassian, Path.Combine(folder, "user_tokens.json"), overrides, clock, testServices);
        if (kestrel)
        {
            factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
            factory.StartServer();
            var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            factory.ClientOptions.BaseAddress = new Uri(address);
        }

        return new WebTestContext(atlassian, folder, factory);
    }

    public async Task<JObject> StartAuthorizationAsync(long telegramUserId)
    {
        var response = await Bot.GetAsync(new Uri($"/auth/start?telegram_user_id={telegramUserId}", UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await JsonOf(response);
    }

    /// <summary>Follows the link at the fake Atlassian (which approves or declines) and returns the callback URL it redirects to.</summary>
    public static async Task<Uri> ConsentAsync(string authUrl)
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var browser = new HttpClient(handler);
        var response = await browser.GetAsync(new Uri(authUrl));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "the fake consent page should redirect");
        return response.Headers.Location!;
    }

    /// <summary>Start, consent and callback: the whole browser side of an authorization.</summary>
    public async Task<HttpResponseMessage> AuthorizeAsync(long telegramUserId)
    {
        var start = await StartAuthorizationAsync(telegramUserId);
        var callback = await ConsentAsync(start.Value<string>("auth_url")!);
        return await Browser.GetAsync(new Uri(callback.PathAndQuery, UriKind.Relative));
    }

    /// <summary>The user's record as it is in the token file (timestamps as written), or null when there is none.</summary>
    public JObject? StoredRecord(long telegramUserId)
    {
        // What is durably stored: the snapshot with its journal applied.
        return Infrastructure.Storage.StoreFiles.ReadJson(TokensFile)[telegramUserId.ToString(System.Globalization.CultureInfo.InvariantCulture)] as JObject;
    }

    /// <summary>A token of a stored record, decrypted with the server's key.</summary>
    public static string Decrypt(JObject record, string field) =>
        JiraAuthServer.Infrastructure.Crypto.FernetTokenCipher.FromEncryptionKey(AuthServerFactory.EncryptionKey).Decrypt(record.Value<string>(field)!);

    /// <summary>The refresh_token grants the fake received, in order: the refresh token each one sent.</summary>
    public IReadOnlyList<string> RefreshTokensSent() =>
        [.. Atlassian.TokenRequests.Where(request => request.GrantType == "refresh_token").Select(request => request.Fields.GetValueOrDefault("refresh_token") ?? string.Empty)];

    /// <summary>The JSON body as sent: timestamps stay the strings the server wrote.</summary>
    public static async Task<JObject> JsonOf(HttpResponseMessage response)
    {
        using var reader = new Newtonsoft.Json.JsonTextReader(new StringReader(await response.Content.ReadAsStringAsync()))
        {
            DateParseHandling = Newtonsoft.Json.DateParseHandling.None,
        };
        return JObject.Load(reader);
    }

    /// <summary>
    /// The factory's dispose can return while the app's own RunAsync is still disposing it (minimal hosting disposes
    /// the host in both places and the second returns at once): the token store releases its lock last, after the
    /// stores wrote their snapshots, so the folder is quiet once the lock can be taken.
    /// </summary>
    private async Task WhenStoreClosedAsync()
    {
        var lockFile = TokensFile + ".lock";
        for (var attempt = 0; File.Exists(lockFile) && attempt < 200; attempt++)
        {
            try
            {
                using var probe = new FileStream(lockFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
                return;
            }
            catch (IOException)
            {
                await Task.Delay(50);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Bot.Dispose();
        Browser.Dispose();
        await Factory.DisposeAsync();
        await Atlassian.DisposeAsync();
        await WhenStoreClosedAsync();
        Directory.Delete(Folder, recursive: true);
    }
}
