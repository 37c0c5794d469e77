using System.Collections.Concurrent;
using JiraAuthServer.Core.Atlassian;
using JiraAuthServer.Core.Grants;
using JiraAuthServer.Core.KeepAlive;
using JiraAuthServer.Core.Options;
using JiraAuthServer.Tests.Fakes;
using JiraAuthServer.Tests.Support;
using Moq;

namespace JiraAuthServer.Tests.Core;

public sealed class KeepAlivePassTests
{
    private static readonly DateTimeOffset Now = RefreshTestContext.Start;
    private RefreshTestContext context = null!;
    private RecordingLogger<KeepAlivePass> logger = null!;
    private ConcurrentQueue<(string RefreshToken, DateTimeOffset At)> calls = null!;

    [SetUp]
    public void SetUp()
    {
        context = new RefreshTestContext();
        logger = new RecordingLogger<KeepAlivePass>();
        calls = new ConcurrentQueue<(string, DateTimeOffset)>();
        context.Atlassian.Setup(a => a.RefreshAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((string token, CancellationToken _) =>
            {
                calls.Enqueue((token, context.Clock.GetUtcNow()));
                return token.StartsWith("dead", StringComparison.Ordinal)
                    ? Task.FromException<AtlassianTokenResponse>(new AtlassianException(AtlassianFailureKind.GrantRejected, "dead", 403, "invalid_grant"))
                    : token.StartsWith("down", StringComparison.Ordinal)
                        ? Task.FromException<AtlassianTokenResponse>(new AtlassianException(AtlassianFailureKind.Transient, "down", 503))
                        : Task.FromResult(RefreshTestContext.Response("access-new-" + token, "next-" + token));
            });
    }

    [TearDown]
    public void TearDown() => context.Dispose();

    [Test]
    public async Task Grants_quiet_for_KEEPALIVE_AFTER_are_refreshed_longest_quiet_first_and_counted_by_outcome()
    {
        await Store(1, "quiet-31d", updatedAt: Now.AddDays(-31));
        await Store(2, "active-29d", updatedAt: Now.AddDays(-29));
        await Store(3, "marked-dead", updatedAt: Now.AddDays(-60), dead: true);
        await Store(4, "created-40d", updatedAt: null, createdAt: Now.AddDays(-40));
        await Store(5, "no-times", updatedAt: null, createdAt: null);
        await Store(6, "dead-at-atlassian-45d", updatedAt: Now.AddDays(-45));

        var summary = await RunPassAsync(new KeepAliveOptions());

        Assert.That(calls.Select(call => call.RefreshToken), Is.EqualTo(new[] { "no-times", "dead-at-atlassian-45d", "created-40d", "quiet-31d" }));
        Assert.That(summary with { Elapsed = TimeSpan.Zero }, Is.EqualTo(new KeepAliveSummary { Checked = 6, Due = 4, Refreshed = 3, ReauthorizationRequired = 1 }));
        Assert.That(context.Repository.Peek(1)!.UpdatedAt, Is.GreaterThanOrEqualTo(Now));
        Assert.That(context.Cipher.Decrypt(context.Repository.Peek(1)!.EncryptedRefreshToken), Is.EqualTo("next-quiet-31d"));
        Assert.That(context.Repository.Peek(6)!.NeedsReauthorization, Is.True);
        Assert.That(context.Cipher.Decrypt(context.Repository.Peek(2)!.EncryptedRefreshToken), Is.EqualTo("active-29d"), "not due, untouched");
    }

    [Test]
    public async Task Refreshes_are_spread_out_at_the_configured_rate()
    {
        for (var user = 1; user <= 6; user++)
        {
            await Store(user, $"quiet-{user}", updatedAt: Now.AddDays(-40 + user));
        }

        var summary = await RunPassAsync(new KeepAliveOptions { RefreshesPerSecond = 0.25 });

        var times = calls.Select(call => call.At).ToList();
        Assert.That(times, Has.Count.EqualTo(6));
        Assert.That(times.Zip(times.Skip(1), (a, b) => b - a), Is.All.GreaterThanOrEqualTo(TimeSpan.FromSeconds(4)));
        Assert.That(summary.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(20)));
    }

    [Test]
    public async Task A_pass_stops_when_Atlassian_keeps_failing_and_leaves_the_grants_as_they_are()
    {
        for (var user = 1; user <= 8; user++)
        {
            await Store(user, $"down-{user}", updatedAt: Now.AddDays(-40));
        }

        var summary = await RunPassAsync(new KeepAliveOptions { RefreshesPerSecond = 10 });

        // The refresher's own retries of the failed ones (after a second) come on top; the pass tried five users only.
        Assert.That(calls.Select(call => call.RefreshToken).Distinct().Count(), Is.EqualTo(KeepAlivePass.TransientFailuresToStop));
        Assert.That(summary.Transient, Is.EqualTo(KeepAlivePass.TransientFailuresToStop));
        Assert.That(summary.StoppedEarly, Is.True);
        Assert.That(context.Repository.Peek(1)!.UpdatedAt, Is.EqualTo(Now.AddDays(-40)), "kept as it was");
        Assert.That(logger.Lines.Single(), Does.Contain("stopped early"));
    }

    [Test]
    public async Task A_grant_refreshed_by_a_request_while_the_pass_waits_for_its_turn_is_skipped()
    {
        await Store(1, "quiet-a", updatedAt: Now.AddDays(-40));
        await Store(2, "quiet-b", updatedAt: Now.AddDays(-35));

        var pass = CreatePass(new KeepAliveOptions { RefreshesPerSecond = 0.1 }).RunAsync(CancellationToken.None);
        Assert.That(await Eventually.TrueAsync(() => calls.Count == 1), Is.True);
        await context.Repository.SaveAsync(2, context.Repository.Peek(2)! with { UpdatedAt = context.Clock.GetUtcNow() }, CancellationToken.None);
        await context.Clock.AdvanceUntilAsync(() => pass.IsCompleted, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        var summary = await pass;

        Assert.That(calls.Select(call => call.RefreshToken), Is.EqualTo(new[] { "quiet-a" }));
        Assert.That(summary.Refreshed, Is.EqualTo(1));
        Assert.That(summary.Skipped, Is.EqualTo(1));
    }

    [Test]
    public async Task Each_pass_logs_one_summary_line_without_tokens()
    {
        await Store(1, "quiet-secret-token", updatedAt: Now.AddDays(-40));
        await Store(2, "dead-secret-token", updatedAt: Now.AddDays(-50));

        await RunPassAsync(new KeepAliveOptions());

        Assert.That(logger.Lines, Has.Count.EqualTo(1));
        Assert.That(logger.Lines[0], Does.StartWith("Information: Keep-alive pass: 2 grants checked, 2 due, 1 refreshed; failed: 1 need re-authorization, 0 transient, 0 other; 0 skipped in "));
        Assert.That(logger.Lines[0], Does.Not.Contain("secret"));
    }

    [Test]
    public void A_grant_is_due_exactly_KEEPALIVE_AFTER_after_its_last_refresh()
    {
        var pass = CreatePass(new KeepAliveOptions { After = TimeSpan.FromDays(30) });
        var grant = new GrantBuilder().Build() with { UpdatedAt = Now.AddDays(-30) };

        Assert.That(pass.IsDue(grant, Now), Is.True);
        Assert.That(pass.IsDue(grant, Now.AddSeconds(-1)), Is.False);
        Assert.That(pass.IsDue(grant with { ReauthorizationRequiredAt = Now }, Now), Is.False, "dead grants wait for a new authorization");
        Assert.That(pass.IsDue(grant with { EncryptedRefreshToken = string.Empty }, Now), Is.False, "an old grant without a refresh token cannot be kept alive");
    }

    private async Task<KeepAliveSummary> RunPassAsync(KeepAliveOptions options)
    {
        var pass = CreatePass(options).RunAsync(CancellationToken.None);
        await context.Clock.AdvanceUntilAsync(() => pass.IsCompleted, TimeSpan.FromMilliseconds(500), TimeSpan.FromMinutes(5));
        return await pass.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private KeepAlivePass CreatePass(KeepAliveOptions options)
    {
        var settings = Microsoft.Extensions.Options.Options.Create(options);
        var notices = new ReauthorizationNotices(context.Repository, context.Events, settings, context.Clock, new RecordingLogger<ReauthorizationNotices>());
        return new(context.Repository, context.Refresher, notices, settings, context.Clock, logger);
    }

    private async Task Store(long userId, string refreshToken, DateTimeOffset? updatedAt, DateTimeOffset? createdAt = null, bool dead = false)
    {
        var grant = new GrantBuilder().WithRefreshToken(refreshToken).ExpiringAt(Now.AddMinutes(30)).Build() with
        {
            UpdatedAt = updatedAt,
            CreatedAt = createdAt ?? updatedAt,
            ReauthorizationRequiredAt = dead ? Now.AddDays(-1) : null,
        };
        await context.Repository.SaveAsync(userId, grant, CancellationToken.None);
    }
}
