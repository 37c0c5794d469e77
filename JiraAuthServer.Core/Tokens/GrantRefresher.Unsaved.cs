using System.Collections.Concurrent;
using JiraAuthServer.Core.Grants;
using Microsoft.Extensions.Logging;

namespace JiraAuthServer.Core.Tokens;

/// <summary>
/// A refresh Atlassian answered but the store did not take. Atlassian has disabled the stored refresh token by then,
/// so the answer holds the only copy of the user's next one: it is kept and stored again in the background (after
/// 1 s, then twice as long each time up to 30 s) until the store takes it or the grant changed. A request meanwhile
/// stores it too, and a refresh never sends the disabled token while it is kept.
/// </summary>
public sealed partial class GrantRefresher
{
    private static readonly TimeSpan FirstStoreRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestStoreRetry = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<long, UnsavedRefresh> unsaved = new();
    private readonly ConcurrentDictionary<long, bool> storeRetries = new();

    /// <summary>
    /// For a graceful stop, before the store is closed: no refresh starts any more, and those in flight and the
    /// answers not yet stored get <see cref="Options.TokenPolicyOptions.ShutdownGrace"/> to reach the store. Whoever
    /// is left is logged by user id.
    /// </summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        using var timeout = new CancellationTokenSource(policy.ShutdownGrace, time);
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            // A flight always completes (its failures become answers), and a failed store leaves its answer in unsaved.
            await Task.WhenAll(inFlight.Values).WaitAsync(grace.Token);
            for (var wait = FirstStoreRetry; !unsaved.IsEmpty; wait *= 2)
            {
                await Task.WhenAll(unsaved.Keys.Select(telegramUserId => RefreshAsync(telegramUserId))).WaitAsync(grace.Token);
                if (!unsaved.IsEmpty)
                {
                    await Task.Delay(wait, time, grace.Token);
                }
            }
        }
        catch (OperationCanceledException) when (grace.IsCancellationRequested)
        {
        }

        if (!inFlight.IsEmpty)
        {
            LogStillRefreshingAtStop(inFlight.Count, UserIds(inFlight.Keys));
        }

        if (!unsaved.IsEmpty)
        {
            LogNotStoredAtStop(unsaved.Count, UserIds(unsaved.Keys));
        }
    }

    private void StoreLater(long telegramUserId)
    {
        if (!stopping.IsCancellationRequested && storeRetries.TryAdd(telegramUserId, true))
        {
            LogStoringLater(telegramUserId);
            _ = StoreLaterAsync(telegramUserId, stopping.Token);
        }
    }

    private async Task StoreLaterAsync(long telegramUserId, CancellationToken cancellationToken)
    {
        try
        {
            for (var wait = FirstStoreRetry; unsaved.ContainsKey(telegramUserId); wait = wait * 2 < LongestStoreRetry ? wait * 2 : LongestStoreRetry)
            {
                await Task.Delay(wait, time, cancellationToken);

                // As the user's flight, so it never runs beside a request's: that stores the kept answer, or drops it
                // when the grant was revoked, authorized anew or refreshed elsewhere since.
                await RefreshAsync(telegramUserId);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: DrainAsync makes the last attempts.
        }
        finally
        {
            storeRetries.TryRemove(telegramUserId, out _);

            // A store that failed again just as this loop saw nothing left found it still registered and started none.
            if (unsaved.ContainsKey(telegramUserId))
            {
                StoreLater(telegramUserId);
            }
        }
    }

    private static string UserIds(ICollection<long> telegramUserIds) => string.Join(", ", telegramUserIds.Order());

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refresh for user {TelegramUserId}: the store did not take Atlassian's answer; it is kept in memory and stored again in the background")]
    private partial void LogStoringLater(long telegramUserId);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} refreshed grants could not be stored before the stop, for users {TelegramUserIds}: Atlassian has disabled their stored refresh tokens (reusable for 10 minutes only), so they may have to authorize again")]
    private partial void LogNotStoredAtStop(int count, string telegramUserIds);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} refreshes still waiting for Atlassian at the stop, for users {TelegramUserIds}: an answer that comes now is not stored, so they may have to authorize again")]
    private partial void LogStillRefreshingAtStop(int count, string telegramUserIds);

    /// <summary>A refresh Atlassian answered but the store did not take: the only copy of the new refresh token.</summary>
    private sealed class UnsavedRefresh(StoredGrant @base, StoredGrant refreshed, string accessToken)
    {
        public StoredGrant Base { get; } = @base;

        public StoredGrant Refreshed { get; } = refreshed;

        public string AccessToken { get; } = accessToken;
    }
}
