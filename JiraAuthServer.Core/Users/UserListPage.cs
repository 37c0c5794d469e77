using JiraAuthServer.Core.Grants;

namespace JiraAuthServer.Core.Users;

/// <summary>One page of connected users, in Telegram id order.</summary>
/// <param name="Users">The users and their grants (still encrypted: the answer carries no token).</param>
/// <param name="Next">The cursor of the following page; null on the last one.</param>
public sealed record UserListPage(IReadOnlyList<KeyValuePair<long, StoredGrant>> Users, string? Next);
