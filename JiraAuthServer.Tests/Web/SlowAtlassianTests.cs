using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace JiraAuthServer.Tests.Web;

/// <summary>
/// Atlassian holding its answers far longer than <c>ATLASSIAN_TIMEOUT</c>: requests are answered once the one shared
/// refresh times out, not when Atlassian finally answers, and they do not pile up refreshes.
/// </summary>
public sealed class SlowAtlassianTests
{
    private static readonly TimeSpan SlowAnswer = TimeSpan.FromSeconds(30);
    private FakeTimeProvider clock = null!;
    private WebTestContext context = null!;

    [SetUp]
    public async Task SetUp()
    {
        clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        context = await WebTestContext.StartAsync(new Dictionary<string, string?> { ["ATLASSIAN_TIMEOUT"] = "1s" }, clock);
    }

    [TearDown]
    public async Task TearDown() => await context.DisposeAsync();

    [TestCase(false, HttpStatusCode.OK)]
    [TestCase(true, HttpStatusCode.ServiceUnavailable)]
    public async Task Twenty_waiting_requests_per_user_share_one_bounded_refresh_and_get_a_prompt_answer(bool expired, HttpStatusCode expected)
    {
        await context.AuthorizeAsync(1);
        await context.AuthorizeAsync(2);
        clock.Advance(expired ? TimeSpan.FromHours(2) : TimeSpan.FromMinutes(57));
        context.Atlassian.TokenResponseDelay = SlowAnswer;

        var elapsed = Stopwatch.StartNew();
        var requests = Enumerable.Range(0, 40).Select(i => Task.Run(() => context.Bot.GetAsync(new Uri($"/auth/token/{1 + (i % 2)}", UriKind.Relative))));
        var answers = await Task.WhenAll(requests);
        elapsed.Stop();

        Assert.That(answers.Select(answer => answer.StatusCode), Is.All.EqualTo(expected));
        Assert.That(elapsed.Elapsed, Is.LessThan(SlowAnswer / 2), "nobody waited for Atlassian's late answer");
        Assert.That(context.RefreshTokensSent(), Has.Count.EqualTo(2), "one refresh per user, however many waited");
        Assert.That(context.RefreshTokensSent().Distinct().Count(), Is.EqualTo(2));

        // Right after: still backing off, so a new wave of requests adds no refresh either.
        var again = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => context.Bot.GetAsync(new Uri("/auth/token/1", UriKind.Relative))));
        Assert.That(again.Select(answer => answer.StatusCode), Is.All.EqualTo(expected));
        Assert.That(context.RefreshTokensSent(), Has.Count.EqualTo(2));
    }
}
