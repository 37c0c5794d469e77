using System.Net;
using JiraAuthServer.Tests.Fakes;
using JiraAuthServer.Tests.Support;
using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Tests.OutOfProcess;

/// <summary>A fake Atlassian on one loopback port and the built server (started on demand) on another.</summary>
public sealed class ProcessTestContext : IAsyncDisposable
{
    public const string ApiKey = "process-test-api-key-4Fz8";

    /// <summary>The <c>ENCRYPTION_KEY</c> the servers run with unless a test names another.</summary>
    public const string EncryptionKey = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";

    private ProcessTestContext(FakeAtlassianServer atlassian, string folder, int port)
    {
        Atlassian = atlassian;
        Folder = folder;
        Port = port;
        atlassian.RedirectUri = $"http://127.0.0.1:{port}/auth/callback";
        atlassian.ConsentMode = FakeConsentMode.AutoApprove;
    }

    public FakeAtlassianServer Atlassian { get; }

    public string Folder { get; }

    public int Port { get; }

    public string TokensFile => Path.Combine(Folder, "user_tokens.json");

    public ServerProcess? Server { get; private set; }

    /// <summary>Further settings for the servers this context starts.</summary>
    public Dictionary<string, string> ExtraEnvironment { get; } = [];

    public static async Task<ProcessTestContext> CreateAsync()
    {
        var atlassian = await FakeAtlassianServer.StartAsync();
        return new ProcessTestContext(atlassian, Directory.CreateTempSubdirectory("jira-auth-process-").FullName, ServerProcess.FreePort());
    }

    /// <summary>The variables a deployment sets; <c>TOKENS_FILE</c> is left to its default inside the working folder.</summary>
    public Dictionary<string, string> Environment(string encryptionKey = EncryptionKey)
    {
        var environment = Atlassian.EnvironmentVariables().ToDictionary(pair => pair.Key, pair => pair.Value);
        environment["ENCRYPTION_KEY"] = encryptionKey;
        environment["INTERNAL_API_KEY"] = ApiKey;
        foreach (var (name, value) in ExtraEnvironment)
        {
            environment[name] = value;
        }

        return environment;
    }

    public async Task<ServerProcess> StartServerAsync(string encryptionKey = EncryptionKey)
    {
        Server = await ServerProcess.StartAsync(Environment(encryptionKey), Folder, Port);
        return Server;
    }

    /// <summary>Starts the server with exactly this environment and these arguments (its settings from elsewhere, a <c>.env</c> say); it must listen on <see cref="Port"/>.</summary>
    public async Task<ServerProcess> StartServerAsync(IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> arguments)
    {
        Server = await ServerProcess.StartAsync(environment, Folder, Port, arguments: arguments);
        return Server;
    }

    public async Task StopServerAsync()
    {
        if (Server is not null)
        {
            Assert.That(await Server.StopAsync(), Is.Zero, Server.Output);
            await Server.DisposeAsync();
            Server = null;
        }
    }

    /// <summary>SIGKILL, as a crash or an OOM kill: no shutdown code runs.</summary>
    public async Task KillServerAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
            Server = null;
        }
    }

    /// <summary>The bot asks for a link, the browser approves at Atlassian and lands on the callback page.</summary>
    public async Task<HttpResponseMessage> AuthorizeAsync(long telegramUserId)
    {
        var callback = await ConsentAsync(telegramUserId);
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        return await browser.GetAsync(callback);
    }

    /// <summary>The bot asks for a link and the browser approves at Atlassian: the callback URL it is sent to, not yet visited.</summary>
    public async Task<Uri> ConsentAsync(long telegramUserId)
    {
        using var bot = Server!.CreateClient(ApiKey);
        var start = JObject.Parse(await bot.GetStringAsync(new Uri($"/auth/start?telegram_user_id={telegramUserId}", UriKind.Relative)));
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var consent = await browser.GetAsync(new Uri(start.Value<string>("auth_url")!));
        Assert.That(consent.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(consent.Headers.Location!.GetLeftPart(UriPartial.Path), Is.EqualTo(Atlassian.RedirectUri));
        return consent.Headers.Location;
    }

    public async Task<HttpResponseMessage> GetTokenAsync(long telegramUserId)
    {
        using var bot = Server!.CreateClient(ApiKey);
        return await bot.GetAsync(new Uri($"/auth/token/{telegramUserId}", UriKind.Relative));
    }

    public async ValueTask DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        await Atlassian.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }
}
