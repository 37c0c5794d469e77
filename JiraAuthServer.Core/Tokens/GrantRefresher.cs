using System.Collections.Concurrent;
using JiraAuthServer.Core.Atlassian;
using JiraAuthServer.Core.Crypto;
using JiraAuthServer.Core.Diagnostics;
using JiraAuthServer.Core.Grants;
using JiraAuthServer.Core.Options;
using JiraAuthServer.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JiraAuthServer.Core.Tokens;

/// <summary>
/// Refreshes a user's grant with at most one request to Atlassian in flight per user. Atlassian rotates refresh
/// tokens and kills the whole grant when an old one is reused, so two parallel refreshes can log a user out.
/// </summary>
public sealed partial class GrantRefresher(
    ITokenRepository repository,
    ITokenCipher cipher,
    IAtlassianClient atlassian,
    IOptions<TokenPolicyOptions> policyOptions,
    TimeProvider time,
    IAuthServerMetrics metrics,
    ILogger<GrantRefresher> logger)
{
    private readonly TokenPolicyOptions policy = policyOptions.Value;
    private readonly ConcurrentDictionary<long, Task<TokenLookup>> inFlight = new();
    private readonly ConcurrentDictionary<long, DateTimeOffset> notBefore = new();

    public bool NeedsRefresh(StoredGrant grant) => grant.ExpiresAt - time.GetUtcNow() <= policy.RefreshMargin;

    /// <summary>
    /// Joins the refresh already running for the user or starts one. The refresh itself is not tied to any one
    /// caller's cancellation: a caller that gives up must not abort it for the others.
    /// </summary>
    public Task<TokenLookup> RefreshAsync(long telegramUserId, bool force = false)
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

        _ = RunFlightAsync(telegramUserId, force, flight);
        return flight.Task;
    }

    private async Task RunFlightAsync(long telegramUserId, bool force, TaskCompletionSource<TokenLookup> flight)
    {
        try
        {
            flight.SetResult(await RefreshNowAsync(telegramUserId, force));
        }
        catch (Exception exception) when (exception is IOException or InvalidOperationException or TimeoutException)
        {
            var failure = exception.GetType().Name;
            LogOutcome(telegramUserId, RefreshOutcome.StoreFailed, failure);
            metrics.Refreshed(nameof(RefreshOutcome.StoreFailed));
            flight.SetResult(TokenLookup.StoreUnavailable);
        }
        finally
        {
            inFlight.TryRemove(new KeyValuePair<long, Task<TokenLookup>>(telegramUserId, flight.Task));
        }
    }

    private async Task<TokenLookup> RefreshNowAsync(long telegramUserId, bool force)
    {
        // Read again: a flight that finished just before this one started may already have refreshed the grant.
        var grant = await repository.GetAsync(telegramUserId, CancellationToken.None);
        if (grant is null)
        {
            return TokenLookup.NotFound;
        }

        if (grant.NeedsReauthorization)
        {
            return TokenLookup.ReauthorizationRequired(grant);
        }

        if (!force && !NeedsRefresh(grant))
        {
            return ServeStored(telegramUserId, grant);
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
            return await MarkDeadAsync(telegramUserId, grant, RefreshOutcome.Unreadable, null);
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
            var retryAfter = exception.RetryAfter ?? policy.TransientFailureBackoff;
            notBefore[telegramUserId] = time.GetUtcNow() + retryAfter;
            var detail = exception.ErrorCode ?? $"HTTP {exception.StatusCode}";
            LogOutcome(telegramUserId, outcome, detail);
            metrics.Refreshed(outcome.ToString());
            return ServeWhileValid(telegramUserId, grant, retryAfter);
        }

        var now = time.GetUtcNow();
        var refreshed = grant with
        {
            EncryptedAccessToken = cipher.Encrypt(response.AccessToken),
            EncryptedRefreshToken = response.RefreshToken is null ? grant.EncryptedRefreshToken : cipher.Encrypt(response.RefreshToken),
            ExpiresAt = now + response.ExpiresIn,
            TokenType = response.TokenType,
            Scope = string.IsNullOrEmpty(response.Scope) ? grant.Scope : response.Scope,
            UpdatedAt = now,
        };

        // Stored before anyone sees the new token: the old refresh token is already disabled at Atlassian.
        await repository.SaveAsync(telegramUserId, refreshed, CancellationToken.None);
        notBefore.TryRemove(telegramUserId, out _);
        LogOutcome(telegramUserId, RefreshOutcome.Refreshed, null);
        metrics.Refreshed(nameof(RefreshOutcome.Refreshed));
        return TokenLookup.Served(response.AccessToken, refreshed);
    }

    private async Task<TokenLookup> MarkDeadAsync(long telegramUserId, StoredGrant grant, RefreshOutcome outcome, string? detail)
    {
        var dead = grant with { ReauthorizationRequiredAt = time.GetUtcNow() };
        await repository.SaveAsync(telegramUserId, dead, CancellationToken.None);
        LogOutcome(telegramUserId, outcome, detail);
        metrics.Refreshed(outcome.ToString());
        return TokenLookup.ReauthorizationRequired(dead);
    }

    private bool IsBackingOff(long telegramUserId, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (!notBefore.TryGetValue(telegramUserId, out var until))
        {
            return false;
        }

        retryAfter = until - time.GetUtcNow();
        return retryAfter > TimeSpan.Zero;
    }

    private TokenLookup ServeWhileValid(long telegramUserId, StoredGrant grant, TimeSpan retryAfter) =>
        grant.ExpiresAt > time.GetUtcNow() ? ServeStored(telegramUserId, grant) : TokenLookup.Unavailable(grant, retryAfter);

    /// <summary>Decrypts the stored access token; a record no key opens means the user must authorize again.</summary>
    public TokenLookup ServeStored(long telegramUserId, StoredGrant grant)
    {
        try
        {
            return TokenLookup.Served(cipher.Decrypt(grant.SealedAccessToken), grant);
        }
        catch (TokenDecryptionException)
        {
            LogOutcome(telegramUserId, RefreshOutcome.Unreadable, null);
            return TokenLookup.ReauthorizationRequired(grant);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Refresh for user {TelegramUserId}: {Outcome} {Detail}")]
    private partial void LogOutcome(long telegramUserId, RefreshOutcome outcome, string? detail);
}
