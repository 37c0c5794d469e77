using System.Net;
using JiraAuthServer.Infrastructure.Notifications;
using JiraAuthServer.Tests.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace JiraAuthServer.Tests.Web;

/// <summary>The whole server tells a real loopback bot about connects, revokes and dead grants, never making the user wait.</summary>
public sealed class BotWebhookTests
{
    private const long UserId = 515151;
    private const string Secret = "whsec-test-9f3k";
    private FakeBotWebhook bot = null!;
    private WebTestContext context = null!;

    [SetUp]
    public async Task SetUp()
    {
        bot = await FakeBotWebhook.StartAsync();
        context = await StartServerAsync(Secret);
    }

    [TearDown]
    public async Task TearDown()
    {
        await context.DisposeAsync();
        await bot.DisposeAsync();
    }

    [Test]
    public async Task Connecting_posts_a_signed_authorized_event()
    {
        var page = await context.AuthorizeAsync(UserId);

        var call = (await bot.WaitForCallsAsync(1)).Single();
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(call.IsSignedWith(Secret), Is.True);
        Assert.That(call.Json.Value<string>("event"), Is.EqualTo("authorized"));
        Assert.That(call.Json.Value<long>("telegram_user_id"), Is.EqualTo(UserId));
        Assert.That(call.Json.Value<string>("jira_account_id"), Is.EqualTo(FakeJiraUser.Default.AccountId));
        Assert.That(DateTimeOffset.Parse(call.Json.Value<string>("occurred_at")!, System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(5)));
    }

    [Test]
    public async Task Revoking_posts_revoked()
    {
        await context.AuthorizeAsync(UserId);
        await bot.WaitForCallsAsync(1);

        var revoke = await context.Bot.DeleteAsync(new Uri($"/auth/revoke/{UserId}", UriKind.Relative));

        var calls = await bot.WaitForCallsAsync(2);
        Assert.That(revoke.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(calls[1].Json.Value<string>("event"), Is.EqualTo("revoked"));
        Assert.That(calls[1].Json.Value<string>("jira_account_id"), Is.EqualTo(FakeJiraUser.Default.AccountId));
        Assert.That(calls[1].IsSignedWith(Secret), Is.True);
    }

    [Test]
    public async Task A_grant_found_dead_during_a_refresh_posts_reauthorization_required_once()
    {
        context.Atlassian.AccessTokenLifetime = TimeSpan.FromMinutes(1);
        await context.AuthorizeAsync(UserId);
        await bot.WaitForCallsAsync(1);
        context.Atlassian.FailNextTokenRequests(FakeFailure.InvalidGrant());

        var token = await context.Bot.GetAsync(new Uri($"/auth/token/{UserId}", UriKind.Relative));
        await context.Bot.GetAsync(new Uri($"/auth/token/{UserId}", UriKind.Relative));
        await context.Bot.DeleteAsync(new Uri($"/auth/revoke/{UserId}", UriKind.Relative));

        var calls = await bot.WaitForCallsAsync(3);
        Assert.That(token.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(calls.Select(call => call.Json.Value<string>("event")), Is.EqualTo(new[] { "authorized", "reauthorization_required", "revoked" }), "one event per change, in order");
    }

    [Test]
    public async Task A_bot_answering_500_gets_the_same_signed_event_again_until_it_accepts()
    {
        bot.AnswerNext(500, 502);

        await context.AuthorizeAsync(UserId);

        var calls = await bot.WaitForCallsAsync(3);
        Assert.That(calls.Select(call => Convert.ToBase64String(call.Body)).Distinct().Count(), Is.EqualTo(1));
        Assert.That(calls.All(call => call.IsSignedWith(Secret)), Is.True);
    }

    [Test]
    public async Task The_callback_page_does_not_wait_for_a_slow_bot()
    {
        bot.Hold();

        var page = await context.AuthorizeAsync(UserId).WaitAsync(TimeSpan.FromSeconds(60));
        await bot.WaitForCallsAsync(1);

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(bot.Answered, Is.Zero, "the page was served while the bot still held its answer");
        bot.Release();
    }

    [Test]
    public async Task Without_WEBHOOK_SECRET_the_API_key_signs()
    {
        await context.DisposeAsync();
        context = await StartServerAsync(secret: null);

        await context.AuthorizeAsync(UserId);

        Assert.That((await bot.WaitForCallsAsync(1)).Single().IsSignedWith(AuthServerFactory.ApiKey), Is.True);
    }

    [TestCase("bot.example.com/hook")]
    [TestCase("ftp://bot.example.com/hook")]
    public void A_malformed_webhook_URL_is_a_setting_error_that_names_the_variable(string url)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["BOT_WEBHOOK_URL"] = url })
            .Build();

        var errors = JiraAuthServer.Web.Configuration.SettingsValidator.FindErrors(configuration);

        Assert.That(errors, Has.Member("BOT_WEBHOOK_URL must be an absolute http(s) URL"));
    }

    private Task<WebTestContext> StartServerAsync(string? secret) => WebTestContext.StartAsync(
        new Dictionary<string, string?> { ["BOT_WEBHOOK_URL"] = bot.Url.ToString(), ["WEBHOOK_SECRET"] = secret },
        testServices: services => services.PostConfigure<WebhookOptions>(options =>
        {
            options.FirstRetryDelay = TimeSpan.FromMilliseconds(20);
            options.MaxRetryDelay = TimeSpan.FromMilliseconds(100);
        }));
}
