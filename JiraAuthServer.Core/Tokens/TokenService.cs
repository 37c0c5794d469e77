using JiraAuthServer.Core.Notifications;
using JiraAuthServer.Core.Storage;

namespace JiraAuthServer.Core.Tokens;

/// <summary>
/// Hands out a working access token: as stored while it has more than the refresh margin left, refreshed first
/// otherwise. <c>/auth/token</c> and <c>/auth/status</c> both come through here.
/// </summary>
public sealed class TokenService(ITokenRepository repository, GrantRefresher refresher, IGrantEvents events, TimeProvider time)
{
    public async Task<TokenLookup> GetTokenAsync(long telegramUserId, CancellationToken cancellationToken)
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
            return refresher.ServeStored(telegramUserId, grant);
        }

        return await refresher.RefreshAsync(telegramUserId).WaitAsync(cancellationToken);
    }

    /// <returns>False when the user had no grant.</returns>
    public async Task<bool> RevokeAsync(long telegramUserId, CancellationToken cancellationToken)
    {
        var grant = await repository.GetAsync(telegramUserId, cancellationToken);
        if (!await repository.DeleteAsync(telegramUserId, cancellationToken))
        {
            return false;
        }

        events.Raise(new GrantEvent(GrantEventKind.Revoked, telegramUserId, grant?.JiraAccountId, time.GetUtcNow()));
        return true;
    }
}
