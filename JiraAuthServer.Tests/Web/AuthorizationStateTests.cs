using System.Net;
using JiraAuthServer.Tests.Fakes;
using JiraAuthServer.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace JiraAuthServer.Tests.Web;

/// <summary>
/// The old server's hole: <c>state=telegram_user_&lt;victim&gt;</c> let anyone bind their own Jira account to a victim's
/// Telegram account with one request. A state is now random, bound to the user it was issued for, single use,
/// short-lived, checked before the code is exchanged, and kept across a restart.
/// </summary>
public sealed class AuthorizationStateTests
{
    private const long Victim = 222000222;
    private const long Attacker = 111000111;
    private const string AttackerAddress = "203.0.113.50";

    [Test]
    public async Task The_old_forged_state_naming_the_victim_is_refused_before_the_code_is_exchanged_and_audited()
    {
        await using var context = await WebTestContext.StartAsync();
        using var log = new NLogCapture();
        var attackersCode = context.Atlassian.IssueCode(new FakeJiraUser("attacker-account", "mallory@example.com", "Mallory"));

        using var request = TestRequest.Create($"/auth/callback?code={attackersCode}&state=telegram_user_{Victim}", AttackerAddress);
        var response = await context.Browser.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("This link cannot be used"));
        Assert.That(context.Atlassian.CodeExchangeCount, Is.Zero);
        Assert.That(await IsAuthenticatedAsync(context, Victim), Is.False);
        Assert.That(log.Lines, Has.One.Contains($"Rejected authorization state from {AttackerAddress}: InvalidState"));
    }

    [Test]
    public async Task A_state_binds_the_user_it_was_issued_for_whatever_else_the_callback_names()
    {
        await using var context = await WebTestContext.StartAsync();
        context.Atlassian.NextUser = new FakeJiraUser("attacker-account", "mallory@example.com", "Mallory");
        var attackersLink = await context.StartAuthorizationAsync(Attacker);
        var callback = await WebTestContext.ConsentAsync(attackersLink.Value<string>("auth_url")!);

        var response = await context.Browser.GetAsync(new Uri($"{callback.PathAndQuery}&telegram_user_id={Victim}&state_user={Victim}", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await IsAuthenticatedAsync(context, Attacker), Is.True, "the grant went to the user the state was issued for");
        Assert.That(await IsAuthenticatedAsync(context, Victim), Is.False);
    }

    [Test]
    public async Task A_used_state_is_refused_even_with_a_fresh_code()
    {
        await using var context = await WebTestContext.StartAsync();
        var link = await context.StartAuthorizationAsync(Victim);
        var callback = await WebTestContext.ConsentAsync(link.Value<string>("auth_url")!);
        Assert.That((await context.Browser.GetAsync(new Uri(callback.PathAndQuery, UriKind.Relative))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var freshCode = context.Atlassian.IssueCode(new FakeJiraUser("attacker-account", "mallory@example.com", "Mallory"));

        var replay = await context.Browser.GetAsync(new Uri($"/auth/callback?code={freshCode}&state={link.Value<string>("state")}", UriKind.Relative));

        Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(context.Atlassian.CodeExchangeCount, Is.EqualTo(1), "the fresh code was never exchanged");
        var token = await WebTestContext.JsonOf(await context.Bot.GetAsync(new Uri($"/auth/token/{Victim}", UriKind.Relative)));
        Assert.That(token.Value<string>("jira_account_id"), Is.EqualTo(FakeJiraUser.Default.AccountId), "the grant is still the victim's own");
    }

    [Test]
    public async Task A_state_older_than_AUTH_STATE_TTL_is_refused_as_expired()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var context = await WebTestContext.StartAsync(new Dictionary<string, string?> { ["AUTH_STATE_TTL"] = "15m" }, clock);
        var link = await context.StartAuthorizationAsync(Victim);
        clock.Advance(TimeSpan.FromMinutes(15));
        var callback = await WebTestContext.ConsentAsync(link.Value<string>("auth_url")!);

        var response = await context.Browser.GetAsync(new Uri(callback.PathAndQuery, UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("expired"));
        Assert.That(context.Atlassian.CodeExchangeCount, Is.Zero);
    }

    [Test]
    public async Task A_state_one_second_younger_than_the_TTL_still_works()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var context = await WebTestContext.StartAsync(clock: clock);
        var link = await context.StartAuthorizationAsync(Victim);
        clock.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(1));
        var callback = await WebTestContext.ConsentAsync(link.Value<string>("auth_url")!);

        var response = await context.Browser.GetAsync(new Uri(callback.PathAndQuery, UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_link_issued_before_a_restart_completes_after_it_once()
    {
        await using var context = await WebTestContext.StartAsync();
        var link = await context.StartAuthorizationAsync(Victim);
        var callback = await WebTestContext.ConsentAsync(link.Value<string>("auth_url")!);
        await context.Factory.DisposeAsync();

        await using var restarted = new AuthServerFactory(context.Atlassian, context.TokensFile);
        using var browser = restarted.CreateBrowserClient();
        var response = await browser.GetAsync(new Uri(callback.PathAndQuery, UriKind.Relative));
        var replay = await browser.GetAsync(new Uri(callback.PathAndQuery, UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(File.ReadAllText(context.TokensFile + ".states"), Does.Not.Contain(link.Value<string>("state")!), "the file holds digests only");
    }

    private static async Task<bool> IsAuthenticatedAsync(WebTestContext context, long user) =>
        (await WebTestContext.JsonOf(await context.Bot.GetAsync(new Uri($"/auth/status/{user}", UriKind.Relative)))).Value<bool>("authenticated");
}
