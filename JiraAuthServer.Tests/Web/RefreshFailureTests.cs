using System.Diagnostics;
using System.Net;
using JiraAuthServer.Tests.Fakes;
using JiraAuthServer.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Tests.Web;

/// <summary>
/// Each way Atlassian's token endpoint can fail a refresh, before and after the access token expired, over real HTTP:
/// the answers of <c>/auth/token</c> and <c>/auth/status</c>, the stored record, and what the fake received.
/// </summary>
public sealed class RefreshFailureTests : WebTestBase
{
    public enum Failure
    {
        ServerError,
        TooManyRequests,
        Timeout,
        InvalidGrant,
        UnauthorizedClient,
    }

    private const long UserId = 777;
    private static readonly TimeSpan SlowAnswer = TimeSpan.FromSeconds(20);
    private FakeTimeProvider clock = null!;

    protected override Task<WebTestContext> StartContextAsync()
    {
        clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        return WebTestContext.StartAsync(new Dictionary<string, string?> { ["ATLASSIAN_TIMEOUT"] = "1s" }, clock);
    }

    [TestCase(Failure.ServerError, false)]
    [TestCase(Failure.ServerError, true)]
    [TestCase(Failure.TooManyRequests, false)]
    [TestCase(Failure.TooManyRequests, true)]
    [TestCase(Failure.Timeout, false)]
    [TestCase(Failure.Timeout, true)]
    public async Task A_transient_failure_keeps_the_grant_and_the_refresher_recovers_inside_the_reuse_leeway(Failure failure, bool expired)
    {
        var authorized = await AuthorizeAndAgeAsync(expired);
        var before = Context.StoredRecord(UserId)!;
        Inject(failure);

        var elapsed = Stopwatch.StartNew();
        var token = await Context.Bot.GetAsync(new Uri($"/auth/token/{UserId}", UriKind.Relative));
        elapsed.Stop();
        var status = await WebTestContext.JsonOf(await Context.Browser.GetAsync(new Uri($"/auth/status/{UserId}", UriKind.Relative)));

        Assert.That(elapsed.Elapsed, Is.LessThan(SlowAnswer / 2), "answered without waiting for a slow Atlassian");
        if (expired)
        {
            var retryAfter = failure == Failure.TooManyRequests ? 7 : 1;
            Assert.That(token.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(token.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(retryAfter)));
            Assert.That(Compact(await WebTestContext.JsonOf(token)), Is.EqualTo("""{"error":"Jira is temporarily unreachable"}"""));
            Assert.That(status.Value<string>("message"), Is.EqualTo("Jira is temporarily unreachable"));
        }
        else
        {
            Assert.That(token.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await WebTestContext.JsonOf(token)).Value<string>("access_token"), Is.EqualTo(authorized.AccessToken), "the current token, still valid");
            Assert.That(status.Property("message"), Is.Null);
        }

        Assert.That(status.Value<bool>("authenticated"), Is.True);
        Assert.That(Compact(Context.StoredRecord(UserId)!), Is.EqualTo(Compact(before)), "record untouched");
        Assert.That(Context.RefreshTokensSent(), Is.EqualTo(new[] { authorized.RefreshToken }), "one attempt; the status request backed off");
        Assert.That(Context.Atlassian.RefreshCount, Is.EqualTo(failure == Failure.Timeout ? 1 : 0), "only a timed-out request was carried out at Atlassian");

        // Atlassian is back. No request comes, yet the refresher tries again after the backoff, within the leeway.
        Context.Atlassian.TokenResponseDelay = TimeSpan.Zero;
        var recovered = await clock.AdvanceUntilAsync(() => Context.RefreshTokensSent().Count == 2 && Compact(Context.StoredRecord(UserId)!) != Compact(before), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2));

        Assert.That(recovered, Is.True, "refreshed by the retry");
        var family = Context.Atlassian.FamilyOf(authorized.AccessToken)!;
        Assert.That(family.IsRevoked, Is.False);
        Assert.That(Context.Atlassian.RefreshReuseCount, Is.EqualTo(failure == Failure.Timeout ? 1 : 0), "a timed-out refresh had rotated: the retry reused the old token, inside the leeway");
        Assert.That(WebTestContext.Decrypt(Context.StoredRecord(UserId)!, "refresh_token"), Is.EqualTo(family.CurrentRefreshToken));

        // Hours later, the user is still connected: the stored refresh token is the current one.
        clock.Advance(TimeSpan.FromHours(3));
        var later = await Context.Bot.GetAsync(new Uri($"/auth/token/{UserId}", UriKind.Relative));
        Assert.That(later.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Context.Atlassian.FamilyOf(authorized.AccessToken)!.IsRevoked, Is.False);
    }

    [TestCase(Failure.InvalidGrant, false)]
    [TestCase(Failure.InvalidGrant, true)]
    [TestCase(Failure.UnauthorizedClient, false)]
    [TestCase(Failure.UnauthorizedClient, true)]
    public async Task A_dead_grant_is_marked_and_kept_and_answered_as_authorize_again(Failure failure, bool expired)
    {
        var authorized = await AuthorizeAndAgeAsync(expired);
        var before = Context.StoredRecord(UserId)!;
        Inject(failure);

        var token = await Context.Bot.GetAsync(new Uri($"/auth/token/{UserId}", UriKind.Relative));
        var status = await WebTestContext.JsonOf(await Context.Browser.GetAsync(new Uri($"/auth/status/{UserId}", UriKind.Relative)));
        clock.Advance(TimeSpan.FromMinutes(10));
        var again = await Context.Bot.GetAsync(new Uri($"/auth/token/{UserId}", UriKind.Relative));

        Assert.That(token.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(Compact(await WebTestContext.JsonOf(token)), Is.EqualTo("""{"error":"Token expired","reauthorization_required":true}"""));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(status.Value<bool>("authenticated"), Is.False);
        Assert.That(status.Value<bool>("reauthorization_required"), Is.True);
        Assert.That(status.Value<string>("message"), Does.Contain("authorize again"));
        Assert.That(Context.RefreshTokensSent(), Is.EqualTo(new[] { authorized.RefreshToken }), "a dead grant is not tried again");

        var after = Context.StoredRecord(UserId)!;
        Assert.That(after.Value<string>("reauthorization_required_at"), Is.Not.Null, "kept for audit, marked");
        after.Remove("reauthorization_required_at");
        Assert.That(after.Value<long>("revision"), Is.GreaterThan(before.Value<long>("revision")), "marking is a change of the grant");
        after.Remove("revision");
        before.Remove("revision");
        Assert.That(Compact(after), Is.EqualTo(Compact(before)), "everything else as it was");

        await Context.AuthorizeAsync(UserId);
        var renewed = await Context.Bot.GetAsync(new Uri($"/auth/token/{UserId}", UriKind.Relative));
        Assert.That(renewed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Context.StoredRecord(UserId)!.Property("reauthorization_required_at"), Is.Null, "a new authorization replaces it");
    }

    [Test]
    public async Task A_refresh_answer_without_a_refresh_token_keeps_the_old_one_and_everything_else()
    {
        var authorized = await AuthorizeAndAgeAsync(expired: false);
        var before = Context.StoredRecord(UserId)!;
        Context.Atlassian.OmitRefreshTokenOnRefresh = true;

        var first = await WebTestContext.JsonOf(await Context.Bot.GetAsync(new Uri($"/auth/token/{UserId}", UriKind.Relative)));
        clock.Advance(TimeSpan.FromMinutes(57));
        var second = await WebTestContext.JsonOf(await Context.Bot.GetAsync(new Uri($"/auth/token/{UserId}", UriKind.Relative)));

        var after = Context.StoredRecord(UserId)!;
        Assert.That(Context.Atlassian.RefreshCount, Is.EqualTo(2));
        Assert.That(Context.Atlassian.RefreshReuseCount, Is.Zero);
        Assert.That(Context.RefreshTokensSent(), Is.EqualTo(new[] { authorized.RefreshToken, authorized.RefreshToken }));
        Assert.That(WebTestContext.Decrypt(after, "refresh_token"), Is.EqualTo(authorized.RefreshToken));
        Assert.That(second.Value<string>("access_token"), Is.EqualTo(Context.Atlassian.LastIssuedTokens!.AccessToken));
        Assert.That(second.Value<string>("access_token"), Is.Not.EqualTo(first.Value<string>("access_token")));
        foreach (var field in new[] { "created_at", "jira_account_id", "jira_email", "jira_cloud_id", "jira_site_url", "jira_site_name", "scope", "token_type" })
        {
            Assert.That(after[field]?.ToString(), Is.EqualTo(before[field]?.ToString()), field);
        }

        Assert.That(after.Value<string>("updated_at"), Is.Not.EqualTo(before.Value<string>("updated_at")));
    }

    /// <summary>Authorizes the user, then moves the clock into the refresh margin, or past expiry.</summary>
    private async Task<FakeIssuedTokens> AuthorizeAndAgeAsync(bool expired)
    {
        Assert.That((await Context.AuthorizeAsync(UserId)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var authorized = Context.Atlassian.LastIssuedTokens!;
        clock.Advance(expired ? TimeSpan.FromHours(2) : TimeSpan.FromMinutes(57));
        return authorized;
    }

    private void Inject(Failure failure)
    {
        switch (failure)
        {
            case Failure.ServerError:
                Context.Atlassian.FailNextTokenRequests(FakeFailure.ServerError());
                break;
            case Failure.TooManyRequests:
                Context.Atlassian.FailNextTokenRequests(FakeFailure.TooManyRequests("7"));
                break;
            case Failure.Timeout:
                Context.Atlassian.TokenResponseDelay = SlowAnswer;
                break;
            case Failure.InvalidGrant:
                Context.Atlassian.FailNextTokenRequests(FakeFailure.InvalidGrant());
                break;
            case Failure.UnauthorizedClient:
                Context.Atlassian.FailNextTokenRequests(FakeFailure.UnauthorizedClient());
                break;
        }
    }

    private static string Compact(JObject json) => json.ToString(Formatting.None);
}
