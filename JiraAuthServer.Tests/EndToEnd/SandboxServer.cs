using System.Text.RegularExpressions;
using JiraAuthServer.Tests.Support;
using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Tests.EndToEnd;

/// <summary>
/// The built server started as a developer does on a fresh clone: Development, no Atlassian settings, so it runs
/// the sandbox and prints its throwaway API key.
/// </summary>
internal sealed partial class SandboxServer : IAsyncDisposable
{
    public const string BotUsername = "jira_helper_bot";

    private SandboxServer(ServerProcess process, string folder, string apiKey)
    {
        Process = process;
        Folder = folder;
        ApiKey = apiKey;
    }

    public ServerProcess Process { get; }

    public string Folder { get; }

    /// <summary>The INTERNAL_API_KEY the sandbox generated and printed.</summary>
    public string ApiKey { get; }

    public Uri BaseAddress => Process.BaseAddress;

    public static async Task<SandboxServer> StartAsync(IDictionary<string, string>? extra = null)
    {
        var folder = Directory.CreateTempSubdirectory("jira-auth-sandbox-test-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["TELEGRAM_BOT_USERNAME"] = "@" + BotUsername,
        };
        foreach (var (name, value) in extra ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        var process = await ServerProcess.StartAsync(environment, folder);
        var key = await WaitForPrintedKeyAsync(process);
        return new SandboxServer(process, folder, key);
    }

    /// <summary>What the bot does: <c>/auth/start</c> with the key, for the link to send to the user.</summary>
    public async Task<string> StartAuthorizationAsync(long telegramUserId)
    {
        using var bot = Process.CreateClient(ApiKey);
        var start = JObject.Parse(await bot.GetStringAsync(new Uri($"/auth/start?telegram_user_id={telegramUserId}", UriKind.Relative)));
        return start.Value<string>("auth_url")!;
    }

    public async Task<HttpResponseMessage> GetTokenAsync(long telegramUserId)
    {
        using var bot = Process.CreateClient(ApiKey);
        return await bot.GetAsync(new Uri($"/auth/token/{telegramUserId}", UriKind.Relative));
    }

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }

    private static async Task<string> WaitForPrintedKeyAsync(ServerProcess process)
    {
        for (var waited = 0; waited < 300; waited++)
        {
            if (PrintedKey().Match(process.Output) is { Success: true } match)
            {
                return match.Groups[1].Value;
            }

            await Task.Delay(100);
        }

        Assert.Fail("the sandbox did not print its API key:\n" + process.Output);
        return string.Empty;
    }

    [GeneratedRegex(@"INTERNAL_API_KEY:\s+(\S+)")]
    private static partial Regex PrintedKey();
}
