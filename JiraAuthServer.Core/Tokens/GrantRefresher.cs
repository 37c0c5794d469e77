using System.Collections.Concurrent;
using JiraAuthServer.Core.Atlassian;
using JiraAuthServer.Core.Crypto;
using JiraAuthServer.Core.Diagnostics;
using JiraAuthServer.Core.Grants;
using JiraAuthServer.Core.Notifications;
using JiraAuthServer.Core.Options;
using JiraAuthServer.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JiraAuthServer.Core.Tokens;

/// <summary>
/// Refreshes a user's grant with at most one request to Atlassian in flight per user. Atlassian rotates refresh
/// tokens and kills the whole grant when an old one is reused, so two parallel refreshes can log a user out.
/// Within the process a per-user flight ensures that; across processes sharing the store, <see cref="IGrantRefreshLock"/>.
/// </summary>
public sealed partial class GrantRefresher(
    ITokenRepository repository,
    IGrantRefreshLock refreshLock,
    ITokenCipher cipher,
    IAtlassianClient atlassian,
    IOptions<TokenPolicyOptions> policyOptions,
    TimeProvider time,
    IAuthServerMetrics metrics,
    ILogger<GrantRefresher> logger,
    IGrantEvents events)
{
    private static readonly TimeSpan MinimumBackoff = TimeSpan.FromSeconds(1);

    private readonly TokenPolicyOptions policy = policyOptions.Value;
    private readonly ConcurrentDictionary<long, Task<TokenLookup>> inFlight = new();
    private readonly ConcurrentDictionary<long, Backoff> backoffs = new();

    /// <summary>
    /// The sealed access token last opened per user. The key ring is fixed for the life of the process, so a token
    /// that opened once opens again: a status answer, which does not carry it, need not pay for the decryption.
    /// </summary>
    private readonly ConcurrentDictionary<long, SealedText> opened = new();

    public bool NeedsRefresh(StoredGrant grant) => grant.ExpiresAt - time.GetUtcNow() <= policy.RefreshMargin;

    /// <summary>
    /// Joins the refresh already running for the user or starts one. The refresh itself is not tied to any one
    /// caller's cancellation: a caller that gives up must not abort it for the others.
    /// </summary>
    /// <param name="telegramUserId">The user.</param>
    /// <param name="force">Refresh even when the token has more than the margin left (keep-alive).</param>
    public Task<TokenLookup> RefreshAsync(long telegramUserId, bool force = false) => JoinOrStart(telegramUserId, force, rejectedRevision: null);

    /// <summary>
    /// Jira refused the access token of revision <paramref name="rejectedRevision"/> although it has not expired
    /// (Atlassian revokes an access token within minutes of a refresh elsewhere). Refreshes, through the same flight,
    /// only while the stored grant is still that revision: when many calls are refused at once, the first one
    /// refreshes and the others get its token.
    /// </summary>
    public Task<TokenLookup> RefreshRejectedAsync(long telegramUserId, long rejectedRevision) => JoinOrStart(telegramUserId, force: false, rejectedRevision);

    private Task<TokenLookup> JoinOrStart(long telegramUserId, bool force, long? rejectedRevision)
    {
        if (inFlight.TryGetValue(telegramUserId, out var running))
        {
            return running;
        }

        var flight = new TaskCompletionSource<TokenLookup>(TaskCreationOptions.RunContinuationsAsynchronously);
        running = inFlight.GetOrAdd(telegramUserId, flight.Task);
        if (running != flight.Task)
        {
            return running;
        }

        _ = RunFlightAsync(telegramUserId, force, rejectedRevision, flight);
        return flight.Task;
    }

    /// <summary>Decrypts the stored access token.</summary>
    public TokenLookup ServeStored(long telegramUserId, StoredGrant grant)
    {
        try
        {
            var accessToken = cipher.Decrypt(grant.SealedAccessToken);
            if (!OpenedBefore(telegramUserId, grant))
            {
                opened[telegramUserId] = grant.SealedAccessToken;
            }

            return TokenLookup.Served(accessToken, grant);
        }
        catch (TokenDecryptionException)
        {
            return Unreadable(telegramUserId, grant, "access token");
        }
    }

    /// <summary>
    /// As <see cref="ServeStored"/> for an answer that does not carry the token: without decrypting it when this
    /// process has opened that very token before.
    /// </summary>
    public TokenLookup ConfirmStored(long telegramUserId, StoredGrant grant) =>
        OpenedBefore(telegramUserId, grant) ? TokenLookup.Confirmed(grant) : ServeStored(telegramUserId, grant);

    /// <summary>The user is gone (revoked): nothing of theirs is kept.</summary>
    public void Forget(long telegramUserId) => opened.TryRemove(telegramUserId, out _);

    private bool OpenedBefore(long telegramUserId, StoredGrant grant) =>
        opened.TryGetValue(telegramUserId, out var sealedToken) && sealedToken == grant.SealedAccessToken;

    private async Task RunFlightAsync(long telegramUserId, bool force, long? rejectedRevision, TaskCompletionSource<TokenLookup> flight)
    {
        TokenLookup result;
        try
        {
            result = await RefreshNowAsync(telegramUserId, force, rejectedRevision);
        }
        catch (Exception exception)
        {
            // The only I/O left here is the store. Whatever failed, the waiters get an answer: a flight that never
            // completed would hold every later request for this user until it gave up.
            Report(telegramUserId, RefreshOutcome.StoreFailed, exception.GetType().Name);
            result = TokenLookup.StoreUnavailable with { RefreshOutcome = RefreshOutcome.StoreFailed };
        }

        // Removed before its waiters hear the result: a request they make next starts a new flight instead of
        // joining this finished one (which would hand it a store failure that is already over).
        inFlight.TryRemove(new KeyValuePair<long, Task<TokenLookup>>(telegramUserId, flight.Task));
        flight.SetResult(result);
    }

    private async Task<TokenLookup> RefreshNowAsync(long telegramUserId, bool force, long? rejectedRevision)
    {
        await using var held = await refreshLock.AcquireAsync(telegramUserId, CancellationToken.None);

        // Read again, under the lock: a flight that finished just before this one started, here or in another
        // process, may already have refreshed the grant.
        var grant = await repository.GetAsync(telegramUserId, CancellationToken.None);
        if (unsaved.TryRemove(telegramUserId, out var pending))
        {
            if (pending.Base.Revision == grant?.Revision)
            {
                // Atlassian already rotated the refresh token: store its answer rather than send the disabled token again.
                return await StoreRefreshedAsync(telegramUserId, pending);
            }

            Report(telegramUserId, RefreshOutcome.Superseded, "unsaved refresh discarded: the grant changed since");
        }

        if (grant is null)
        {
            return TokenLookup.NotFound;
        }

        if (grant.NeedsReauthorization)
        {
            return TokenLookup.ReauthorizationRequired(grant);
        }

        if (!force && !NeedsRefresh(grant) && grant.Revision != rejectedRevision)
        {
            return ServeStored(telegramUserId, grant);
        }

        if (stopping.IsCancellationRequested)
        {
            // Atlassian's answer disables the stored refresh token, and the store may be closed before it arrives.
            return ServeWhileValid(telegramUserId, grant, policy.TransientFailureBackoff);
        }

        if (IsBackingOff(telegramUserId, out var retryAfter))
        {
            return ServeWhileValid(telegramUserId, grant, retryAfter);
        }

        string refreshToken;
        try
        {
            refreshToken = cipher.Decrypt(grant.SealedRefreshToken);
        }
        catch (TokenDecryptionException)
        {
            return Unreadable(telegramUserId, grant, "refresh token");
        }

        if (refreshToken.Length == 0)
        {
            // Grants from before offline_access was requested: usable until they expire, then only a new consent helps.
            return grant.ExpiresAt > time.GetUtcNow()
                ? ServeStored(telegramUserId, grant)
                : await MarkDeadAsync(telegramUserId, grant, RefreshOutcome.NoRefreshToken, null);
        }

        return await CallAtlassianAsync(telegramUserId, grant, refreshToken);
    }

    private async Task<TokenLookup> CallAtlassianAsync(long telegramUserId, StoredGrant grant, string refreshToken)
    {
        // The lifetime is counted from before the request, so the stored expiry is never later than Atlassian's.
        var requestedAt = time.GetUtcNow();
        AtlassianTokenResponse response;
        try
        {
            response = await atlassian.RefreshAsync(refreshToken, CancellationToken.None);
        }
        catch (AtlassianException exception) when (exception.Kind == AtlassianFailureKind.GrantRejected)
        {
            return await MarkDeadAsync(telegramUserId, grant, RefreshOutcome.GrantRejected, exception.ErrorCode);
        }
        catch (AtlassianException exception)
        {
            // A passing outage or a configuration problem: the grant itself is fine, so it is kept as it is.
            var outcome = exception.Kind == AtlassianFailureKind.Transient ? RefreshOutcome.Transient : RefreshOutcome.Rejected;
            var retryAfter = BackOff(telegramUserId, exception.RetryAfter);
            var detail = $"{exception.ErrorCode ?? (exception.StatusCode is { } status ? $"HTTP {status}" : "no answer")}, next try in {retryAfter.TotalSeconds:0} s";
            Report(telegramUserId, outcome, detail);
            if (outcome == RefreshOutcome.Transient)
            {
                FollowUp(telegramUserId, grant);
            }

            return ServeWhileValid(telegramUserId, grant, retryAfter) with { RefreshOutcome = outcome };
        }

        var refreshed = grant with
        {
            EncryptedAccessToken = cipher.Encrypt(response.AccessToken),
            SealedRefreshToken = response.RefreshToken is null ? grant.SealedRefreshToken : SealedText.From(cipher.Encrypt(response.RefreshToken)),
            ExpiresAt = requestedAt + response.ExpiresIn,
            TokenType = response.TokenType,
            Scope = string.IsNullOrEmpty(response.Scope) ? grant.Scope : response.Scope,
            UpdatedAt = time.GetUtcNow(),
        };
        return await StoreRefreshedAsync(telegramUserId, new UnsavedRefresh(grant, refreshed, response.AccessToken));
    }

    private async Task<TokenLookup> StoreRefreshedAsync(long telegramUserId, UnsavedRefresh refresh)
    {
        bool stored;
        try
        {
            // Stored before anyone sees the new token: the old refresh token is already disabled at Atlassian.
            stored = await repository.ReplaceAsync(telegramUserId, refresh.Base, refresh.Refreshed, CancellationToken.None);
        }
        catch (Exception)
        {
            // The only copy of the new refresh token: the next attempt stores it instead of sending the disabled one.
            unsaved[telegramUserId] = refresh;
            StoreLater(telegramUserId);
            throw;
        }

        backoffs.TryRemove(telegramUserId, out _);
        if (!stored)
        {
            return await SupersededAsync(telegramUserId, RefreshOutcome.Refreshed);
        }

        Report(telegramUserId, RefreshOutcome.Refreshed, null);
        return TokenLookup.Served(refresh.AccessToken, refresh.Refreshed) with { RefreshOutcome = RefreshOutcome.Refreshed };
    }

    private async Task<TokenLookup> MarkDeadAsync(long telegramUserId, StoredGrant grant, RefreshOutcome outcome, string? detail)
    {
        var dead = grant with { ReauthorizationRequiredAt = time.GetUtcNow() };
        if (!await repository.ReplaceAsync(telegramUserId, grant, dead, CancellationToken.None))
        {
            return await SupersededAsync(telegramUserId, outcome);
        }

        backoffs.TryRemove(telegramUserId, out _);
        events.Raise(new GrantEvent(GrantEventKind.ReauthorizationRequired, telegramUserId, grant.JiraAccountId, dead.ReauthorizationRequiredAt!.Value));
        Report(telegramUserId, outcome, detail);
        return TokenLookup.ReauthorizationRequired(dead) with { RefreshOutcome = outcome };
    }

    /// <summary>The grant was revoked or authorized anew while Atlassian answered: that answer no longer counts.</summary>
    private async Task<TokenLookup> SupersededAsync(long telegramUserId, RefreshOutcome discarded)
    {
        Report(telegramUserId, RefreshOutcome.Superseded, $"{discarded} discarded");
        var current = await repository.GetAsync(telegramUserId, CancellationToken.None);
        var lookup = current is null ? TokenLookup.NotFound
            : current.NeedsReauthorization ? TokenLookup.ReauthorizationRequired(current)
            : ServeWhileValid(telegramUserId, current, policy.TransientFailureBackoff);
        return lookup with { RefreshOutcome = RefreshOutcome.Superseded };
    }

    /// <summary>
    /// Only Atlassian declares a grant dead. Another instance sharing the store may hold the key this one lacks (a key
    /// roll-out under way), so the record is neither marked nor written, and no event goes to the bot.
    /// </summary>
    private TokenLookup Unreadable(long telegramUserId, StoredGrant grant, string token)
    {
        LogUnreadable(telegramUserId, token);
        metrics.Refreshed(nameof(RefreshOutcome.Unreadable));
        return TokenLookup.Unreadable(grant) with { RefreshOutcome = RefreshOutcome.Unreadable };
    }

    private TimeSpan BackOff(long telegramUserId, TimeSpan? retryAfter)
    {
        var now = time.GetUtcNow();
        var failures = backoffs.TryGetValue(telegramUserId, out var previous) && now - previous.Until < policy.LongestBackoff ? previous.Failures + 1 : 1;

        // Atlassian's Retry-After is followed as given; otherwise the wait doubles with each failure in a row.
        var wait = retryAfter ?? policy.TransientFailureBackoff * Math.Pow(2, Math.Min(failures - 1, 16));
        wait = wait < MinimumBackoff ? MinimumBackoff : wait > policy.LongestBackoff ? policy.LongestBackoff : wait;
        backoffs[telegramUserId] = new Backoff(now + wait, failures);
        return wait;
    }

    private bool IsBackingOff(long telegramUserId, out TimeSpan retryAfter)
    {
        retryAfter = backoffs.TryGetValue(telegramUserId, out var backoff) ? backoff.Until - time.GetUtcNow() : TimeSpan.Zero;
        return retryAfter > TimeSpan.Zero;
    }

    private TokenLookup ServeWhileValid(long telegramUserId, StoredGrant grant, TimeSpan retryAfter) =>
        grant.ExpiresAt > time.GetUtcNow() ? ServeStored(telegramUserId, grant) : TokenLookup.Unavailable(grant, retryAfter);

    private void Report(long telegramUserId, RefreshOutcome outcome, string? detail)
    {
        LogOutcome(outcome == RefreshOutcome.Refreshed ? LogLevel.Information : LogLevel.Warning, telegramUserId, outcome, detail ?? string.Empty);
        metrics.Refreshed(outcome.ToString());
    }

    [LoggerMessage(Message = "Refresh for user {TelegramUserId}: {Outcome} {Detail}")]
    private partial void LogOutcome(LogLevel level, long telegramUserId, RefreshOutcome outcome, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Grant of user {TelegramUserId}: none of this server's keys opens the stored {Token}; check ENCRYPTION_KEY. The grant is left as it is")]
    private partial void LogUnreadable(long telegramUserId, string token);

    private readonly record struct Backoff(DateTimeOffset Until, int Failures);
}
