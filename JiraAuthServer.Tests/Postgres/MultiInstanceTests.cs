using System.Diagnostics;
using System.Net;
using JiraAuthServer.Tests.Web;

namespace JiraAuthServer.Tests.Postgres;

/// <summary>
/// Two built servers on different ports, one database, one fake Atlassian that counts refreshes: what a load balancer
/// in front of several instances does to the refresh and to the authorization flow.
/// </summary>
public sealed class MultiInstanceTests
{
    private const long UserId = 4242;
    private MultiInstanceContext context = null!;

    [SetUp]
    public async Task SetUp() => context = await MultiInstanceContext.CreateAsync(instances: 2);

    [TearDown]
    public async Task TearDown() => await context.DisposeAsync();

    [Test]
    public async Task Concurrent_token_requests_spread_over_two_instances_cause_exactly_one_refresh()
    {
        await context.StartAllAsync();
        var seeded = await context.SeedGrantAboutToExpireAsync(UserId);
        // Every request arrives while the one refresh is still waiting for Atlassian's answer.
        context.Atlassian.TokenResponseDelay = TimeSpan.FromSeconds(1);

        var answers = await Task.WhenAll(Enumerable.Range(0, 20)
            .Select(i => MultiInstanceContext.GetTokenAsync(context.Servers[i % 2], UserId)));

        Assert.That(answers.Select(answer => answer.Status), Has.All.EqualTo(HttpStatusCode.OK), context.Output);
        Assert.That(context.Atlassian.RefreshCount, Is.EqualTo(1), context.Output);
        Assert.That(context.Atlassian.RefreshReuseCount, Is.Zero);
        var fresh = context.Atlassian.LastIssuedTokens!.AccessToken;
        Assert.That(fresh, Is.Not.EqualTo(seeded.AccessToken));
        Assert.That(answers.Select(answer => answer.Body.Value<string>("access_token")), Has.All.EqualTo(fresh));
        // The request lines are written by NLog's background writer, a moment after the answers.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!context.Servers.All(server => server.Output.Contains("-> 200", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.That(context.Servers.Select(server => server.Output), Has.All.Contain("-> 200"), "both instances served");
    }

    [Test]
    public async Task A_state_issued_by_one_instance_completes_on_the_other_and_cannot_be_replayed()
    {
        await context.StartAllAsync();
        var (instanceA, instanceB) = (context.Servers[0], context.Servers[1]);
        using var bot = instanceA.CreateClient(MultiInstanceContext.ApiKey);
        var start = await WebTestContext.JsonOf(await bot.GetAsync(new Uri("/auth/start?telegram_user_id=77", UriKind.Relative)));
        var callback = await WebTestContext.ConsentAsync(start.Value<string>("auth_url")!);
        Assert.That(callback.Port, Is.EqualTo(context.Ports[1]), "the callback URL is instance B's");

        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var onB = await browser.GetAsync(callback);
        var replayOnA = await browser.GetAsync(new Uri(instanceA.BaseAddress, callback.PathAndQuery));
        var token = await MultiInstanceContext.GetTokenAsync(instanceA, 77);

        Assert.That(onB.StatusCode, Is.EqualTo(HttpStatusCode.OK), await onB.Content.ReadAsStringAsync());
        Assert.That(replayOnA.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await replayOnA.Content.ReadAsStringAsync(), Does.Contain("not valid").Or.Contain("expired"));
        Assert.That(context.Atlassian.CodeExchangeCount, Is.EqualTo(1), "the replayed code was never exchanged");
        Assert.That(token.Status, Is.EqualTo(HttpStatusCode.OK), "instance A serves what instance B stored");
        Assert.That(instanceB.Output, Does.Contain("auth/callback"));
    }

    [Test]
    public async Task An_instance_killed_while_it_holds_the_refresh_lock_does_not_block_the_user()
    {
        // Long enough that the lock would still be held for the whole test if the kill did not release it.
        await context.StartAllAsync(new Dictionary<string, string> { ["ATLASSIAN_TIMEOUT"] = "120s" });
        var (instanceA, instanceB) = (context.Servers[0], context.Servers[1]);
        await context.SeedGrantAboutToExpireAsync(UserId);
        context.Atlassian.TokenResponseDelay = TimeSpan.FromMinutes(5);

        var onA = MultiInstanceContext.GetTokenAsync(instanceA, UserId);
        await WaitUntilAsync(() => context.Atlassian.TokenRequestCount == 1, "instance A's refresh reached Atlassian");
        var onB = MultiInstanceContext.GetTokenAsync(instanceB, UserId, timeout: TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.That(onB.IsCompleted, Is.False, "instance B waits for instance A's lock");
        Assert.That(context.Atlassian.TokenRequestCount, Is.EqualTo(1));

        context.Atlassian.TokenResponseDelay = TimeSpan.Zero;
        await instanceA.KillAsync();
        var answer = await onB;

        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.OK), instanceB.Output);
        Assert.That(context.Atlassian.IsLiveAccessToken(answer.Body.Value<string>("access_token")!), Is.True);
        Assert.That(context.Atlassian.RefreshCount, Is.EqualTo(2), "instance B refreshed after A died");
        Assert.That(context.Atlassian.RevokedFamilyCount, Is.Zero, "within Atlassian's reuse leeway: the user stays connected");
        Assert.That(async () => await onA, Throws.InstanceOf<HttpRequestException>());
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.That(waited.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)), $"waiting until {what}");
            await Task.Delay(50);
        }
    }
}
