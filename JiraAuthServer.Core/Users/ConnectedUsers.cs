using JiraAuthServer.Core.Storage;

namespace JiraAuthServer.Core.Users;

/// <summary>The operators' view of every stored grant, page by page (<c>/auth/users</c>).</summary>
public sealed class ConnectedUsers(ITokenRepository repository)
{
    public async Task<UserListPage> ListAsync(UserListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);

        // One more than asked: whether it exists says if there is a next page, without a count of the rest.
        var found = await repository.ListPageAsync(query.AfterUserId, query.Limit + 1, query.Status, cancellationToken);
        if (found.Count <= query.Limit)
        {
            return new UserListPage(found, Next: null);
        }

        var page = found.Take(query.Limit).ToList();
        return new UserListPage(page, UserListCursor.Encode(page[^1].Key));
    }
}
