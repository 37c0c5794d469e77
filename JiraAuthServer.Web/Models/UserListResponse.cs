using JiraAuthServer.Core.Users;
using Newtonsoft.Json;

namespace JiraAuthServer.Web.Models;

/// <summary>One page of <c>/auth/users</c>.</summary>
public sealed record UserListResponse
{
    [JsonProperty("users")]
    public required IReadOnlyList<ConnectedUserResponse> Users { get; init; }

    /// <summary>Pass as <c>after</c> for the next page; null on the last page.</summary>
    [JsonProperty("next")]
    public string? Next { get; init; }

    public static UserListResponse From(UserListPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return new UserListResponse
        {
            Users = [.. page.Users.Select(user => ConnectedUserResponse.From(user.Key, user.Value))],
            Next = page.Next,
        };
    }
}
