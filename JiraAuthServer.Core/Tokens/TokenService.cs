using JiraAuthServer.Core.Grants;
using JiraAuthServer.Core.Options;
using JiraAuthServer.Core.Notifications;
using JiraAuthServer.Core.Storage;
using Microsoft.Extensions.Options;

namespace JiraAuthServer.Core.Tokens;

/// <summary>
/// Hands out a working access token: as stored while it has more than the refresh margin left, refreshed first
/// otherwise. <c>/auth/token</c> and <c>/auth/status</c> both come through here.
/// </summary>
public sealed class TokenService(ITokenRepository repository, GrantRefresher refresher, IGrantEvents events, IOptions<AtlassianOptions> atlassianOptions, TimeProvider time)
{
    /// <summary>What storing a refreshed grant may add to the Atlassian call before a waiting request stops waiting.</summary>
    private static readonly TimeSpan StoreAllowance = TimeSpan.FromSeconds(2);

    private readonly TimeSpan atlassianTimeout = atlassianOptions.Value.RequestTimeout;

    public Task<TokenLookup> GetTokenAsync(long telegramUserId, CancellationToken cancellationToken) =>
        LookUpAsync(telegramUserId, forStatus: false, cancellationToken);

    /// <summary>
    /// As <see cref="GetTokenAsync"/>, for an answer that does not carry the token: a stored token this process has
    /// opened before is not decrypted again (the answer's <see cref="TokenLookup.AccessToken"/> may then be null).
    /// </summary>
    public Task<TokenLookup> GetStatusAsync(long telegramUserId, CancellationToken cancellationToken) =>
        LookUpAsync(telegramUserId, forStatus: true, cancellationToken);

    private async Task<TokenLookup> LookUpAsync(long telegramUserId, bool forStatus, CancellationToken cancellationToken)
    {
        var grant = await repository.GetAsync(telegramUserId, cancellationToken);
        if (grant is null)
        {
            return TokenLookup.NotFound;
        }

        if (grant.NeedsReauthorization)
        {
            return TokenLookup.ReauthorizationRequired(grant);
        }

        if (!refresher.NeedsRefresh(grant))
        {
            return forStatus ? refresher.ConfirmStored(telegramUserId, grant) : refresher.ServeStored(telegramUserId, grant);
        }

        try
        {
            return await refresher.RefreshAsync(telegramUserId).WaitAsync(atlassianTimeout + StoreAllowance, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // The refresh goes on for the others (the Atlassian call has its own timeout); this request is answered
            // from the record as read, which is still valid or not.
            return grant.ExpiresAt > time.GetUtcNow()
                ? refresher.ServeStored(telegramUserId, grant)
                : TokenLookup.Unavailable(grant, atlassianTimeout);
        }
    }

    /// <summary>
    /// Jira answered 401 to the access token of <paramref name="rejected"/> before it expired: a refresh, through the
    /// same single flight as <see cref="GetTokenAsync"/>, unless the stored grant has changed since (another call
    /// refused at the same moment refreshed it already; its token is served).
    /// </summary>
    public async Task<TokenLookup> RefreshRejectedAsync(long telegramUserId, StoredGrant rejected, CancellationToken cancellationToken)
    {
        try
        {
            var lookup = await refresher.RefreshRejectedAsync(telegramUserId, rejected.Revision).WaitAsync(atlassianTimeout + StoreAllowance, time, cancellationToken);

            // Joined a flight started for another reason, which found the token still inside its lifetime: one of our own.
            if (lookup.Status == TokenLookupStatus.Served && lookup.RefreshOutcome is null && lookup.Grant!.Revision == rejected.Revision)
            {
                lookup = await refresher.RefreshRejectedAsync(telegramUserId, rejected.Revision).WaitAsync(atlassianTimeout + StoreAllowance, time, cancellationToken);
            }

            return lookup;
        }
        catch (TimeoutException)
        {
            return TokenLookup.Unavailable(rejected, atlassianTimeout);
        }
    }

    /// <returns>False when the user had no grant.</returns>
    public async Task<bool> RevokeAsync(long telegramUserId, CancellationToken cancellationToken)
    {
        var grant = await repository.GetAsync(telegramUserId, cancellationToken);
        if (!await repository.DeleteAsync(telegramUserId, cancellationToken))
        {
            return false;
        }

        refresher.Forget(telegramUserId);
        events.Raise(new GrantEvent(GrantEventKind.Revoked, telegramUserId, grant?.JiraAccountId, time.GetUtcNow()));
        return true;
    }
}
