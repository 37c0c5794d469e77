using System.Net;

namespace JiraAuthServer.Tests.OutOfProcess;

/// <summary>Pending states across real restarts (a crash included) and the key lockout over real sockets.</summary>
public sealed class SecurityProcessTests : ProcessTestBase
{
    [Test]
    public async Task A_link_issued_just_before_a_crash_completes_after_the_restart_and_a_replay_after_another_restart_is_refused()
    {
        await Context.StartServerAsync();
        var callback = await Context.ConsentAsync(8080);
        await Context.KillServerAsync();

        var server = await Context.StartServerAsync();
        using var browser = server.CreateClient();
        var page = await browser.GetAsync(new Uri(callback.PathAndQuery, UriKind.Relative));
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK), server.Output);
        Assert.That((await Context.GetTokenAsync(8080)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await Context.StopServerAsync();

        server = await Context.StartServerAsync();
        using var replayBrowser = server.CreateClient();
        var replay = await replayBrowser.GetAsync(new Uri(callback.PathAndQuery, UriKind.Relative));
        Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(Context.Atlassian.CodeExchangeCount, Is.EqualTo(1), "the replayed code never reached Atlassian");
        Assert.That(server.Output, Does.Contain("Rejected authorization state from 127.0.0.1: InvalidState"));

        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(Context.TokensFile + ".states"), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }
    }

    [Test]
    public async Task Wrong_keys_over_real_HTTP_lock_the_address_out_and_are_logged_without_the_key()
    {
        var server = await Context.StartServerAsync();
        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 11; attempt++)
        {
            using var guesser = server.CreateClient($"guessed-key-{attempt}-Xw");
            statuses.Add((await guesser.GetAsync(new Uri("/auth/token/1", UriKind.Relative))).StatusCode);
        }

        using var bot = server.CreateClient(ProcessTestContext.ApiKey);
        var rightKey = await bot.GetAsync(new Uri("/auth/token/1", UriKind.Relative));
        using var browser = server.CreateClient();
        var publicStatus = await browser.GetAsync(new Uri("/auth/status/1", UriKind.Relative));

        Assert.That(statuses.Take(10), Is.All.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(statuses[10], Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(rightKey.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(rightKey.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromMinutes(1)));
        Assert.That(publicStatus.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(server.Output, Does.Contain("Rejected API key from 127.0.0.1 on /auth/token/1"));
        Assert.That(server.Output, Does.Contain("Locked out 127.0.0.1 after 10 wrong API keys"));
        Assert.That(server.Output, Does.Not.Contain("guessed-key-"));
    }

    [Test]
    public async Task What_Kestrel_cannot_accept_is_a_4xx_too()
    {
        var server = await Context.StartServerAsync();
        using var client = server.CreateClient(ProcessTestContext.ApiKey);
        using var hugeHeader = new HttpRequestMessage(HttpMethod.Get, new Uri("/auth/status/1", UriKind.Relative));
        hugeHeader.Headers.TryAddWithoutValidation("X-Padding", new string('a', 40_000));

        var answers = new Dictionary<string, HttpStatusCode>
        {
            ["NUL in the path"] = (await client.GetAsync(new Uri("/auth/status/1%00", UriKind.Relative))).StatusCode,
            ["NUL in the query"] = (await client.GetAsync(new Uri("/auth/start?telegram_user_id=1%00", UriKind.Relative))).StatusCode,
            ["huge request line"] = (await client.GetAsync(new Uri("/auth/status/" + new string('9', 20_000), UriKind.Relative))).StatusCode,
            ["huge header"] = (await client.SendAsync(hugeHeader)).StatusCode,
        };

        Assert.That(answers.Values.Select(status => (int)status), Is.All.InRange(400, 499), string.Join(", ", answers));
        Assert.That(File.Exists(Context.TokensFile + ".states") ? await File.ReadAllTextAsync(Context.TokensFile + ".states") : string.Empty, Does.Not.Contain("telegram_user_id"));
    }
}
