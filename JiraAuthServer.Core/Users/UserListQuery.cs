using System.Globalization;
using JiraAuthServer.Core.Grants;

namespace JiraAuthServer.Core.Users;

/// <summary>One page request of <c>/auth/users</c>: how many, after which user, which status.</summary>
/// <param name="Limit">1 to <see cref="MaxLimit"/>.</param>
/// <param name="AfterUserId">The last user of the previous page; 0 for the first page.</param>
/// <param name="Status">Only grants of this status; null for all.</param>
public sealed record UserListQuery(int Limit, long AfterUserId, GrantStatus? Status)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static readonly string LimitError = $"limit must be a whole number from 1 to {MaxLimit}";
    public const string AfterError = "after must be the 'next' cursor of a previous page";
    public static readonly string StatusError = $"status must be {GrantStatusNames.Connected} or {GrantStatusNames.ReauthorizationRequired}";

    /// <summary>The query parameters as sent (null when absent).</summary>
    /// <returns>Null and <paramref name="error"/> saying what is wrong, for a value that is not one of the allowed.</returns>
    public static UserListQuery? Parse(string? limit, string? after, string? status, out string? error)
    {
        error = null;
        var pageSize = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > MaxLimit))
        {
            error = LimitError;
            return null;
        }

        var afterUserId = 0L;
        if (after is not null && !UserListCursor.TryDecode(after, out afterUserId))
        {
            error = AfterError;
            return null;
        }

        GrantStatus? wanted = null;
        if (status is not null)
        {
            if (!GrantStatusNames.TryParse(status, out var parsed))
            {
                error = StatusError;
                return null;
            }

            wanted = parsed;
        }

        return new UserListQuery(pageSize, afterUserId, wanted);
    }
}
