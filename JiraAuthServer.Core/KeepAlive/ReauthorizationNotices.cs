using JiraAuthServer.Core.Grants;
using JiraAuthServer.Core.Notifications;
using JiraAuthServer.Core.Options;
using JiraAuthServer.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JiraAuthServer.Core.KeepAlive;

/// <summary>
/// Tells the bot, once per consent, that a grant reaches Atlassian's yearly limit within <c>REAUTH_NOTICE_BEFORE</c>,
/// so the user can authorize again before it stops working. What was sent is remembered in the record
/// (<see cref="StoredGrant.ReauthorizationNoticeSentAt"/>), so neither the next pass nor a restart sends it again.
/// </summary>
public sealed partial class ReauthorizationNotices(
    ITokenRepository repository,
    IGrantEvents events,
    IOptions<KeepAliveOptions> options,
    TimeProvider time,
    ILogger<ReauthorizationNotices> logger)
{
    /// <summary>Conditional marks tried per user: a refresh landing between the read and the mark changes the revision.</summary>
    private const int MarkAttempts = 3;

    private readonly TimeSpan noticeBefore = options.Value.ReauthorizationNoticeBefore;

    /// <summary>
    /// A working grant whose end is at most <c>REAUTH_NOTICE_BEFORE</c> away (or past) and whose current consent has not
    /// been announced: a notice sent before that consent belongs to an earlier one.
    /// </summary>
    public bool IsDue(StoredGrant grant, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(grant);
        return !grant.NeedsReauthorization
            && grant.ReauthorizationDueAt is { } dueAt
            && now >= dueAt - noticeBefore
            && !(grant.ReauthorizationNoticeSentAt >= grant.EffectiveConsentAt);
    }

    /// <summary>Sends the notices due among <paramref name="grants"/> (the pass's list) and marks each in its record.</summary>
    /// <returns>How many were sent.</returns>
    public async Task<int> SendDueAsync(IReadOnlyList<KeyValuePair<long, StoredGrant>> grants, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grants);
        var now = time.GetUtcNow();
        var sent = 0;
        foreach (var (userId, listed) in grants)
        {
            if (!IsDue(listed, now))
            {
                continue;
            }

            Outcome outcome;
            try
            {
                outcome = await SendAsync(userId, now, cancellationToken);
            }
            catch (TokenStoreException exception)
            {
                // The refreshes of this pass still get their turn; a notice sent but not marked goes again next pass.
                LogStoreFailed(exception, userId, sent);
                return Reported(sent);
            }

            switch (outcome)
            {
                case Outcome.Sent:
                    sent++;
                    break;
                case Outcome.NotQueued:
                    // No bot listens, or its queue is full: nothing is marked, the next pass tries again.
                    LogNotQueued(sent);
                    return Reported(sent);
            }
        }

        return Reported(sent);
    }

    private int Reported(int sent)
    {
        if (sent > 0)
        {
            LogSent(sent, noticeBefore.TotalDays);
        }

        return sent;
    }

    private async Task<Outcome> SendAsync(long userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var raised = false;
        for (var attempt = 0; attempt < MarkAttempts; attempt++)
        {
            // Read again: the list may be old, and the mark must carry the record as it is now.
            var grant = await repository.GetAsync(userId, cancellationToken);
            if (grant is null || !IsDue(grant, now))
            {
                return raised ? Outcome.Sent : Outcome.NotDue;
            }

            if (!raised && !events.Raise(new GrantEvent(GrantEventKind.ReauthorizationDue, userId, grant.JiraAccountId, now, grant.ReauthorizationDueAt)))
            {
                return Outcome.NotQueued;
            }

            raised = true;
            if (await repository.ReplaceAsync(userId, grant, grant with { ReauthorizationNoticeSentAt = now }, cancellationToken))
            {
                return Outcome.Sent;
            }
        }

        LogNotMarked(userId, MarkAttempts);
        return Outcome.Sent;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-authorization notices: {Sent} sent to the bot for grants ending within {Days:0.#} days")]
    private partial void LogSent(int sent, double days);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Re-authorization notices: {Sent} sent, the rest not queued (no bot webhook, or its queue is full); the next pass tries again")]
    private partial void LogNotQueued(int sent);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Re-authorization notice for user {TelegramUserId} sent but not marked: the grant changed {Attempts} times meanwhile; the next pass may send it again")]
    private partial void LogNotMarked(long telegramUserId, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Re-authorization notices stopped at user {TelegramUserId} ({Sent} sent): the token store failed; the next pass goes on")]
    private partial void LogStoreFailed(Exception exception, long telegramUserId, int sent);

    private enum Outcome
    {
        NotDue,
        Sent,
        NotQueued,
    }
}
