using JiraAuthServer.Core.Grants;
using JiraAuthServer.Core.Options;
using JiraAuthServer.Core.Storage;
using JiraAuthServer.Core.Tokens;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JiraAuthServer.Core.KeepAlive;

/// <summary>
/// One keep-alive pass: refreshes every grant not refreshed for <c>KEEPALIVE_AFTER</c>, the longest-quiet first, at
/// most <c>KEEPALIVE_RATE</c> per second, through the same single-flight refresh as requests. Atlassian drops a
/// grant unused for 90 days, so without this a user who is quiet that long would have to authorize again. Each pass
/// also sends the re-authorization notices that are due (<see cref="ReauthorizationNotices"/>).
/// </summary>
public sealed partial class KeepAlivePass(
    ITokenRepository repository,
    GrantRefresher refresher,
    ReauthorizationNotices notices,
    IOptions<KeepAliveOptions> options,
    TimeProvider time,
    ILogger<KeepAlivePass> logger)
{
    /// <summary>Transient failures in a row that end a pass: Atlassian is down, and the next pass is soon enough.</summary>
    public const int TransientFailuresToStop = 5;

    private readonly KeepAliveOptions settings = options.Value;

    public async Task<KeepAliveSummary> RunAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var grants = await repository.ListAsync(cancellationToken);

        // First, as they call no one but the bot; the refreshes below may take the rest of the pass.
        var noticesSent = await notices.SendDueAsync(grants, cancellationToken);
        var now = time.GetUtcNow();
        var due = grants
            .Where(pair => IsDue(pair.Value, now))
            .OrderBy(pair => LastRefreshed(pair.Value) ?? DateTimeOffset.MinValue)
            .Select(pair => pair.Key)
            .ToList();

        var spacing = TimeSpan.FromSeconds(1 / settings.RefreshesPerSecond);
        var counts = new Dictionary<RefreshOutcome, int>();
        var skipped = 0;
        var transientInARow = 0;
        long? lastStarted = null;
        foreach (var userId in due)
        {
            if (transientInARow >= TransientFailuresToStop)
            {
                break;
            }

            if (lastStarted is { } previous && spacing - time.GetElapsedTime(previous) is var wait && wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken);
            }

            // The list may be hours old by now: a request may have refreshed the grant, or it was revoked or died.
            var grant = await repository.GetAsync(userId, cancellationToken);
            if (grant is null || !IsDue(grant, time.GetUtcNow()))
            {
                skipped++;
                continue;
            }

            lastStarted = time.GetTimestamp();
            var lookup = await refresher.RefreshAsync(userId, force: true).WaitAsync(cancellationToken);
            if (lookup.RefreshOutcome is { } outcome and not RefreshOutcome.Superseded)
            {
                counts[outcome] = counts.GetValueOrDefault(outcome) + 1;
            }
            else
            {
                skipped++;
            }

            transientInARow = lookup.RefreshOutcome == RefreshOutcome.Transient ? transientInARow + 1 : 0;
        }

        var summary = new KeepAliveSummary
        {
            Checked = grants.Count,
            Due = due.Count,
            Refreshed = counts.GetValueOrDefault(RefreshOutcome.Refreshed),
            ReauthorizationRequired = counts.GetValueOrDefault(RefreshOutcome.GrantRejected) + counts.GetValueOrDefault(RefreshOutcome.NoRefreshToken),
            Transient = counts.GetValueOrDefault(RefreshOutcome.Transient),
            OtherFailures = counts.GetValueOrDefault(RefreshOutcome.Rejected) + counts.GetValueOrDefault(RefreshOutcome.StoreFailed) + counts.GetValueOrDefault(RefreshOutcome.Unreadable),
            Skipped = skipped,
            StoppedEarly = transientInARow >= TransientFailuresToStop,
            ReauthorizationNoticesSent = noticesSent,
            Elapsed = time.GetElapsedTime(started),
        };
        LogSummary(summary.Checked, summary.Due, summary.Refreshed, summary.ReauthorizationRequired, summary.Transient, summary.OtherFailures, summary.Skipped, summary.StoppedEarly ? " (stopped early: Atlassian keeps failing)" : string.Empty, summary.Elapsed.TotalSeconds);
        return summary;
    }

    /// <summary>Not refreshed (nor authorized) for <c>KEEPALIVE_AFTER</c>; a record without either time is due at once.</summary>
    public bool IsDue(StoredGrant grant, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(grant);
        return !grant.NeedsReauthorization
            && grant.SealedRefreshToken.Length > 0
            && (LastRefreshed(grant) is not { } last || now - last >= settings.After);
    }

    private static DateTimeOffset? LastRefreshed(StoredGrant grant) => grant.UpdatedAt ?? grant.CreatedAt;

    [LoggerMessage(Level = LogLevel.Information, Message = "Keep-alive pass: {GrantsChecked} grants checked, {Due} due, {Refreshed} refreshed; failed: {ReauthorizationRequired} need re-authorization, {Transient} transient, {OtherFailures} other; {Skipped} skipped{StoppedEarly} in {ElapsedSeconds:0.#} s")]
    private partial void LogSummary(int grantsChecked, int due, int refreshed, int reauthorizationRequired, int transient, int otherFailures, int skipped, string stoppedEarly, double elapsedSeconds);
}
