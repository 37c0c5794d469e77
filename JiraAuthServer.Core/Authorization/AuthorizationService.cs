using System.Buffers.Text;
using System.Security.Cryptography;
using JiraAuthServer.Core.Atlassian;
using JiraAuthServer.Core.Crypto;
using JiraAuthServer.Core.Diagnostics;
using JiraAuthServer.Core.Grants;
using JiraAuthServer.Core.Notifications;
using JiraAuthServer.Core.Options;
using JiraAuthServer.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JiraAuthServer.Core.Authorization;

/// <summary>Starts an authorization (issues a state bound to the user) and completes it on the callback.</summary>
public sealed partial class AuthorizationService(
    IAtlassianClient atlassian,
    ITokenRepository repository,
    ITokenCipher cipher,
    IAuthStateStore states,
    IOptions<AtlassianOptions> atlassianOptions,
    IOptions<TokenPolicyOptions> policyOptions,
    TimeProvider time,
    IAuthServerMetrics metrics,
    ILogger<AuthorizationService> logger,
    IGrantEvents events)
{
    private readonly AtlassianOptions atlassianSettings = atlassianOptions.Value;
    private readonly TokenPolicyOptions policy = policyOptions.Value;

    public async Task<AuthorizationLink> StartAsync(long telegramUserId, CancellationToken cancellationToken)
    {
        var state = NewState();
        var expiresAt = time.GetUtcNow() + policy.AuthStateTtl;
        await states.AddAsync(new PendingAuthorization(state, telegramUserId, expiresAt), cancellationToken);
        LogStarted(telegramUserId);
        return new AuthorizationLink(AuthorizationUrlBuilder.Build(atlassianSettings, state), telegramUserId, state, expiresAt);
    }

    public async Task<CallbackResult> CompleteAsync(CallbackRequest request, CancellationToken cancellationToken)
    {
        var result = await TryCompleteAsync(request, cancellationToken);
        if (result.Succeeded)
        {
            metrics.AuthorizationCompleted();
            LogCompleted(result.TelegramUserId, result.Identity?.AccountId, result.Site?.Url);
        }
        else
        {
            metrics.AuthorizationFailed(result.Failure.ToString()!);
            if (result.Failure is CallbackFailure.InvalidState or CallbackFailure.StateExpiredOrUsed)
            {
                LogRejectedState(request.ClientAddress, result.Failure, result.TelegramUserId);
            }
            else
            {
                LogFailed(result.TelegramUserId, result.Failure, request.ClientAddress);
            }
        }

        return result;
    }

    private async Task<CallbackResult> TryCompleteAsync(CallbackRequest request, CancellationToken cancellationToken)
    {
        // The state is checked before anything else, the code included: an unbound code must never be exchanged.
        PendingAuthorization? pending;
        try
        {
            pending = string.IsNullOrEmpty(request.State) ? null : await states.TakeAsync(request.State, cancellationToken);
        }
        catch (TokenStoreException)
        {
            // A shared state store (PostgreSQL) that is down: the page asks the user to try again later.
            return CallbackResult.Failed(CallbackFailure.StoreUnavailable);
        }

        if (pending is null)
        {
            return CallbackResult.Failed(CallbackFailure.InvalidState);
        }

        var userId = pending.TelegramUserId;
        if (pending.ExpiresAt <= time.GetUtcNow())
        {
            return CallbackResult.Failed(CallbackFailure.StateExpiredOrUsed, userId);
        }

        if (!string.IsNullOrEmpty(request.Error))
        {
            var failure = request.Error == "access_denied" ? CallbackFailure.Declined : CallbackFailure.AtlassianError;
            return CallbackResult.Failed(failure, userId);
        }

        if (string.IsNullOrEmpty(request.Code))
        {
            return CallbackResult.Failed(CallbackFailure.MissingCode, userId);
        }

        try
        {
            return await ConnectAsync(userId, request.Code, cancellationToken);
        }
        catch (AtlassianException exception)
        {
            LogAtlassianFailure(userId, exception.Kind, exception.StatusCode, exception.ErrorCode);
            var failure = exception.Kind == AtlassianFailureKind.GrantRejected ? CallbackFailure.CodeRejected : CallbackFailure.AtlassianUnavailable;
            return CallbackResult.Failed(failure, userId);
        }
        catch (TokenStoreException)
        {
            return CallbackResult.Failed(CallbackFailure.StoreUnavailable, userId);
        }
    }

    private async Task<CallbackResult> ConnectAsync(long userId, string code, CancellationToken cancellationToken)
    {
        var tokens = await atlassian.ExchangeCodeAsync(code, cancellationToken);
        var sites = await atlassian.GetAccessibleResourcesAsync(tokens.AccessToken, cancellationToken);
        var site = SiteSelector.Select(sites, atlassianSettings.SiteUrl);
        if (site is null)
        {
            var failure = string.IsNullOrWhiteSpace(atlassianSettings.SiteUrl) ? CallbackFailure.NoJiraSite : CallbackFailure.SiteNotAccessible;
            return CallbackResult.Failed(failure, userId);
        }

        var identity = await atlassian.GetMyselfAsync(tokens.AccessToken, site.CloudId, cancellationToken);
        var previous = await repository.GetAsync(userId, cancellationToken);
        var now = time.GetUtcNow();
        var grant = new StoredGrant
        {
            EncryptedAccessToken = cipher.Encrypt(tokens.AccessToken),
            EncryptedRefreshToken = cipher.Encrypt(tokens.RefreshToken ?? string.Empty),
            ExpiresAt = now + tokens.ExpiresIn,
            TokenType = tokens.TokenType,
            Scope = tokens.Scope,
            CreatedAt = now,
            UpdatedAt = now,
            ConsentedAt = now,
            JiraAccountId = identity.AccountId,
            JiraEmail = identity.Email,
            JiraCloudId = site.CloudId,
            JiraSiteUrl = site.Url,
            JiraSiteName = site.Name,
            JiraSites = sites,
            UnknownFields = previous?.UnknownFields ?? new Dictionary<string, string>(),
        };
        await repository.SaveAsync(userId, grant, cancellationToken);
        events.Raise(new GrantEvent(GrantEventKind.Authorized, userId, identity.AccountId, now));
        return CallbackResult.Success(userId, identity, site);
    }

    private static string NewState()
    {
        Span<byte> bytes = stackalloc byte[32];
        RandomNumberGenerator.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Authorization started for user {TelegramUserId}")]
    private partial void LogStarted(long telegramUserId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Authorization completed for user {TelegramUserId}: Jira account {JiraAccountId} on {JiraSiteUrl}")]
    private partial void LogCompleted(long? telegramUserId, string? jiraAccountId, string? jiraSiteUrl);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Authorization failed for user {TelegramUserId} from {ClientAddress}: {Failure}")]
    private partial void LogFailed(long? telegramUserId, CallbackFailure? failure, string? clientAddress);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected authorization state from {ClientAddress}: {Failure} (user {TelegramUserId})")]
    private partial void LogRejectedState(string? clientAddress, CallbackFailure? failure, long? telegramUserId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Atlassian call failed during callback for user {TelegramUserId}: {Kind} (status {StatusCode}, error {ErrorCode})")]
    private partial void LogAtlassianFailure(long telegramUserId, AtlassianFailureKind kind, int? statusCode, string? errorCode);
}
