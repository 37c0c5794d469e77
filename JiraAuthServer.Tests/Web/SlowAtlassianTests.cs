using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace JiraAuthServer.Tests.Web;

/// <summary>
/// Atlassian holding its answers far longer than <c>ATLASSIAN_TIMEOUT</c>: requests are answered once the one shared
/// refresh times out, not when Atlassian finally answers, and they do not pile up refreshes.
/// </summary>
public sealed class SlowAtlassianTests : WebTestBase
{
    private static readonly TimeSpan SlowAnswer = TimeSpan.FromSeconds(30);
    private FakeTimeProvider clock = null!;

    protected override Task<WebTestContext> StartContextAsync()
    {
        clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        return WebTestContext.StartAsync(new Dictionary<string, string?> { ["ATLASSIAN_TIMEOUT"] = "1s" }, clock);
    }

    [TestCase(false, HttpStatusCode.OK)]
    [TestCase(true, HttpStatusCode.ServiceUnavailable)]
    public async Task Twenty_waiting_requests_per_user_share_one_bounded_refresh_and_get_a_prompt_answer(bool expired, HttpStatusCode expected)
    {
        await Context.AuthorizeAsync(1);
        await Context.AuthorizeAsync(2);
        clock.Advance(expired ? TimeSpan.FromHours(2) : TimeSpan.FromMinutes(57));
        Context.Atlassian.TokenResponseDelay = SlowAnswer;

        var elapsed = Stopwatch.StartNew();
        var requests = Enumerable.Range(0, 40).Select(i => Task.Run(() => Context.Bot.GetAsync(new Uri($"/auth/token/{1 + (i % 2)}", UriKind.Relative))));
        var answers = await Task.WhenAll(requests);
        elapsed.Stop();

        Assert.That(answers.Select(answer => answer.StatusCode), Is.All.EqualTo(expected));
        Assert.That(elapsed.Elapsed, Is.LessThan(SlowAnswer / 2), "nobody waited for Atlassian's late answer");
        Assert.That(Context.RefreshTokensSent(), Has.Count.EqualTo(2), "one refresh per user, however many waited");
        Assert.That(Context.RefreshTokensSent().Distinct().Count(), Is.EqualTo(2));

        // Right after: still backing off, so a new wave of requests adds no refresh either.
        var again = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Context.Bot.GetAsync(new Uri("/auth/token/1", UriKind.Relative))));
        Assert.That(again.Select(answer => answer.StatusCode), Is.All.EqualTo(expected));
        Assert.That(Context.RefreshTokensSent(), Has.Count.EqualTo(2));
    }
}
