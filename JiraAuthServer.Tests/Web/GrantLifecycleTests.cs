using System.Globalization;
using System.Net;
using JiraAuthServer.Infrastructure.Notifications;
using JiraAuthServer.Tests.Fakes;
using JiraAuthServer.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace JiraAuthServer.Tests.Web;

/// <summary>
/// The grant's yearly end through the whole server on the fake clock: the consent is kept in the record across
/// refreshes and replaced by a new authorization, <c>/auth/status</c> and <c>/auth/token</c> say when it is due, and
/// the keep-alive loop tells the bot once.
/// </summary>
public sealed class GrantLifecycleTests
{
    private const long UserId = 636363;
    private FakeTimeProvider clock = null!;
    private FakeBotWebhook bot = null!;
    private WebTestContext context = null!;

    [SetUp]
    public async Task SetUp()
    {
        clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        bot = await FakeBotWebhook.StartAsync();

        // 364 days ahead of a 365-day grant: the notice is due one day after the consent.
        context = await WebTestContext.StartAsync(
            new Dictionary<string, string?> { ["BOT_WEBHOOK_URL"] = bot.Url.ToString(), ["REAUTH_NOTICE_BEFORE"] = "364d" },
            clock,
            services => services.PostConfigure<WebhookOptions>(options => options.FirstRetryDelay = TimeSpan.FromMilliseconds(20)));
    }

    [TearDown]
    public async Task TearDown()
    {
        await context.DisposeAsync();
        await bot.DisposeAsync();
    }

    [Test]
    public async Task The_consent_is_kept_across_a_refresh_replaced_by_a_new_authorization_and_its_end_is_served()
    {
        Assert.That((await context.AuthorizeAsync(UserId)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var consentedAt = Time(context.StoredRecord(UserId)!.Value<string>("consented_at"));
        Assert.That(consentedAt, Is.EqualTo(clock.GetUtcNow()).Within(TimeSpan.FromSeconds(1)));
        await AssertDueAsync(consentedAt.AddDays(365));

        clock.Advance(TimeSpan.FromHours(2));
        var refreshed = await context.Bot.GetAsync(new Uri($"/auth/token/{UserId}", UriKind.Relative));
        Assert.That(refreshed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(context.Atlassian.RefreshCount, Is.EqualTo(1), "the expired token was refreshed");
        var afterRefresh = context.StoredRecord(UserId)!;
        Assert.That(Time(afterRefresh.Value<string>("consented_at")), Is.EqualTo(consentedAt), "a refresh is not a consent");
        Assert.That(Time(afterRefresh.Value<string>("updated_at")), Is.GreaterThan(consentedAt));
        await AssertDueAsync(consentedAt.AddDays(365));

        clock.Advance(TimeSpan.FromHours(5));
        Assert.That((await context.AuthorizeAsync(UserId)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var consentedAgain = Time(context.StoredRecord(UserId)!.Value<string>("consented_at"));
        Assert.That(consentedAgain, Is.EqualTo(consentedAt.AddHours(7)).Within(TimeSpan.FromSeconds(1)));
        await AssertDueAsync(consentedAgain.AddDays(365));
    }

    [Test]
    public async Task The_keep_alive_loop_tells_the_bot_once_that_the_grant_ends_soon()
    {
        await context.AuthorizeAsync(UserId);
        var consentedAt = Time(context.StoredRecord(UserId)!.Value<string>("consented_at"));

        Assert.That(await clock.AdvanceUntilAsync(() => Notices().Count == 1, TimeSpan.FromHours(1), TimeSpan.FromDays(3)), Is.True);
        Assert.That(clock.GetUtcNow() - consentedAt, Is.InRange(TimeSpan.FromDays(1), TimeSpan.FromDays(1) + TimeSpan.FromHours(2)), "at the first pass once due");
        await clock.AdvanceUntilAsync(() => false, TimeSpan.FromHours(1), TimeSpan.FromDays(2));

        var notice = Notices().Single();
        Assert.That(notice.Json.Value<long>("telegram_user_id"), Is.EqualTo(UserId));
        Assert.That(notice.Json.Value<string>("jira_account_id"), Is.EqualTo(FakeJiraUser.Default.AccountId));
        Assert.That(Time(notice.Json.Value<string>("reauthorization_due_at")), Is.EqualTo(consentedAt.AddDays(365)));
        Assert.That(notice.IsSignedWith(AuthServerFactory.ApiKey), Is.True);
        Assert.That(context.StoredRecord(UserId)!.Value<string>("reauthorization_notice_sent_at"), Is.Not.Null);
    }

    private IReadOnlyList<FakeWebhookCall> Notices() => [.. bot.Calls.Where(call => call.Json.Value<string>("event") == "reauthorization_due")];

    private async Task AssertDueAsync(DateTimeOffset dueAt)
    {
        var status = await WebTestContext.JsonOf(await context.Browser.GetAsync(new Uri($"/auth/status/{UserId}", UriKind.Relative)));
        var token = await WebTestContext.JsonOf(await context.Bot.GetAsync(new Uri($"/auth/token/{UserId}", UriKind.Relative)));

        Assert.That(Time(status.Value<string>("reauthorization_due_at")), Is.EqualTo(dueAt), status.ToString());
        Assert.That(Time(token.Value<string>("reauthorization_due_at")), Is.EqualTo(dueAt), "the same time format as expires_at");
        Assert.That(status.Value<string>("reauthorization_due_at"), Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?\+00:00$"));
    }

    private static DateTimeOffset Time(string? text) => DateTimeOffset.Parse(text!, CultureInfo.InvariantCulture);
}
