using System.Collections.Concurrent;
using JiraAuthServer.Core.Grants;

namespace JiraAuthServer.Core.Tokens;

/// <summary>
/// Retrying after a transient failure without waiting for a request. A refresh whose answer never arrived (a timeout)
/// may still have been carried out by Atlassian: the refresh token in the store is then disabled, and sending it
/// again works only within Atlassian's 10-minute reuse leeway. A quiet user's next request may come hours later, so
/// the refresher tries again by itself, after each backoff, until it succeeds or the window is over.
/// </summary>
public sealed partial class GrantRefresher : IDisposable
{
    private readonly ConcurrentDictionary<long, bool> followUps = new();
    private readonly CancellationTokenSource stopping = new();

    /// <summary>Ends the retries still waiting; for a stop that lets them finish first, see <see cref="DrainAsync"/>.</summary>
    public void Dispose() => stopping.Cancel();

    private void FollowUp(long telegramUserId, StoredGrant failed)
    {
        // One per user: a follow-up that fails again keeps going itself.
        if (!stopping.IsCancellationRequested && followUps.TryAdd(telegramUserId, true))
        {
            _ = FollowUpAsync(telegramUserId, failed, time.GetUtcNow() + policy.FollowUpWindow, stopping.Token);
        }
    }

    private async Task FollowUpAsync(long telegramUserId, StoredGrant failed, DateTimeOffset giveUpAt, CancellationToken cancellationToken)
    {
        try
        {
            while (backoffs.TryGetValue(telegramUserId, out var backoff) && backoff.Until <= giveUpAt)
            {
                var wait = backoff.Until - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    // Checked again after the wait: a request may have failed (or succeeded) meanwhile.
                    await Task.Delay(wait, time, cancellationToken);
                    continue;
                }

                // Only for the record that failed: a success, a revoke or a new authorization since ends it.
                if ((await repository.GetAsync(telegramUserId, CancellationToken.None))?.Revision != failed.Revision)
                {
                    return;
                }

                var lookup = await RefreshAsync(telegramUserId, force: true).WaitAsync(cancellationToken);
                var failedAgain = lookup.RefreshOutcome == RefreshOutcome.Transient || (lookup.RefreshOutcome is null && IsBackingOff(telegramUserId, out _));
                if (!failedAgain)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception)
        {
            // Only the store can fail here (a refresh reports its own failures): the next request tries again.
        }
        finally
        {
            followUps.TryRemove(telegramUserId, out _);
        }
    }
}
