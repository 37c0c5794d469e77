using System.Globalization;
using System.Net;
using JiraAuthServer.Tests.Fakes;
using JiraAuthServer.Tests.OutOfProcess;

namespace JiraAuthServer.Tests.PythonClient;

/// <summary>
/// The built server as a child process with the fake Atlassian and the fake bot webhook, and what the Python tests
/// cannot bring about from outside: a user whose grant Atlassian has revoked, a user whose refresh Atlassian answered
/// with 503, and real signed webhook calls saved to files. Everything else the Python tests do themselves.
/// </summary>
internal sealed class PythonClientScenario : IAsyncDisposable
{
    public const long DeadUser = 900001;
    public const long UnreachableUser = 900002;
    public const long RevokedUser = 900003;
    public const int KeyFailures = 3;

    /// <summary>Not ASCII, so the client must key the HMAC with the secret's UTF-8 bytes, as the server does.</summary>
    public const string WebhookSecret = "bot-webhook-s3cr\u00e9t";

    /// <summary>What the fake answers the refresh of <see cref="UnreachableUser"/>: the server waits this long before trying again.</summary>
    public const int AtlassianRetryAfterSeconds = 300;

    private readonly ProcessTestContext context;
    private readonly FakeBotWebhook bot;

    private PythonClientScenario(ProcessTestContext context, FakeBotWebhook bot, string webhookFolder)
    {
        this.context = context;
        this.bot = bot;
        WebhookFolder = webhookFolder;
    }

    public string WebhookFolder { get; }

    public static async Task<PythonClientScenario> StartAsync()
    {
        var context = await ProcessTestContext.CreateAsync();
        var bot = await FakeBotWebhook.StartAsync();
        var scenario = new PythonClientScenario(context, bot, Path.Combine(context.Folder, "webhook-calls"));
        context.ExtraEnvironment["BOT_WEBHOOK_URL"] = bot.Url.ToString();
        context.ExtraEnvironment["WEBHOOK_SECRET"] = WebhookSecret;
        context.ExtraEnvironment["RATE_LIMIT_KEY_FAILURES"] = KeyFailures.ToString(CultureInfo.InvariantCulture);
        context.ExtraEnvironment["RATE_LIMIT_WINDOW"] = "1m";
        await context.StartServerAsync();
        await scenario.PrepareUsersAsync();
        return scenario;
    }

    /// <summary>The variables <c>clients/python/tests/conftest.py</c> reads.</summary>
    public Dictionary<string, string> PytestEnvironment() => new()
    {
        ["JIRA_AUTH_TEST_REQUIRE_SERVER"] = "1",
        ["JIRA_AUTH_TEST_SERVER"] = context.Server!.BaseAddress.ToString().TrimEnd('/'),
        ["JIRA_AUTH_TEST_API_KEY"] = ProcessTestContext.ApiKey,
        ["JIRA_AUTH_TEST_ATLASSIAN"] = context.Atlassian.BaseUrl,
        ["JIRA_AUTH_TEST_DEAD_USER"] = DeadUser.ToString(CultureInfo.InvariantCulture),
        ["JIRA_AUTH_TEST_UNREACHABLE_USER"] = UnreachableUser.ToString(CultureInfo.InvariantCulture),
        ["JIRA_AUTH_TEST_KEY_FAILURES"] = KeyFailures.ToString(CultureInfo.InvariantCulture),
        ["JIRA_AUTH_TEST_WEBHOOK_DIR"] = WebhookFolder,
        ["JIRA_AUTH_TEST_WEBHOOK_SECRET"] = WebhookSecret,
    };

    /// <summary>The server's output, for a failure report.</summary>
    public string ServerOutput => context.Server?.Output ?? string.Empty;

    public async ValueTask DisposeAsync()
    {
        await context.DisposeAsync();
        await bot.DisposeAsync();
    }

    private async Task PrepareUsersAsync()
    {
        var atlassian = context.Atlassian;

        // Tokens issued inside the refresh margin, so the next request refreshes, and Atlassian refuses: the grant is dead.
        atlassian.AccessTokenLifetime = TimeSpan.FromMinutes(2);
        await AuthorizeAsync(DeadUser);
        Assert.That(atlassian.Revoke(atlassian.LastIssuedTokens!.AccessToken), Is.True);

        // A token that has expired, and Atlassian answering its refresh with 503: the server backs off for 5 minutes,
        // answering 503 with what is left of the wait, longer than the Python run takes.
        atlassian.AccessTokenLifetime = TimeSpan.FromSeconds(1);
        await AuthorizeAsync(UnreachableUser);
        atlassian.AccessTokenLifetime = TimeSpan.FromHours(1);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        atlassian.FailNextTokenRequests(FakeFailure.ServiceUnavailable(AtlassianRetryAfterSeconds.ToString(CultureInfo.InvariantCulture)));
        var unreachable = await context.GetTokenAsync(UnreachableUser);
        Assert.That(unreachable.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), await unreachable.Content.ReadAsStringAsync());

        await AuthorizeAsync(RevokedUser);
        using var botClient = context.Server!.CreateClient(ProcessTestContext.ApiKey);
        var revoke = await botClient.DeleteAsync(new Uri($"/auth/revoke/{RevokedUser}", UriKind.Relative));
        Assert.That(revoke.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await SaveWebhookCallsAsync(expected: 4);
    }

    private async Task AuthorizeAsync(long telegramUserId)
    {
        var page = await context.AuthorizeAsync(telegramUserId);
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"authorizing user {telegramUserId}");
    }

    /// <summary>Each call as it arrived: <c>N-event.body</c> (the exact bytes) and <c>N-event.signature</c> (X-Signature).</summary>
    private async Task SaveWebhookCallsAsync(int expected)
    {
        Directory.CreateDirectory(WebhookFolder);
        var calls = await bot.WaitForCallsAsync(expected);
        for (var i = 0; i < calls.Count; i++)
        {
            var name = Path.Combine(WebhookFolder, $"{i + 1}-{calls[i].Json.Value<string>("event")}");
            await File.WriteAllBytesAsync(name + ".body", calls[i].Body);
            await File.WriteAllTextAsync(name + ".signature", calls[i].Signature);
        }
    }
}
