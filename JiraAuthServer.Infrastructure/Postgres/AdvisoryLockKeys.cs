namespace JiraAuthServer.Infrastructure.Postgres;

/// <summary>
/// The two-integer advisory lock keys this server takes. The first integer keeps them apart from other applications'
/// locks in the same database.
/// </summary>
internal static class AdvisoryLockKeys
{
    /// <summary>Server-wide locks: the schema migration and the keep-alive pass.</summary>
    public const int ServerNamespace = 0x4A415300;

    /// <summary>Per-user refresh locks, keyed by <see cref="ForUser"/>.</summary>
    public const int RefreshNamespace = 0x4A415301;

    public const int SchemaMigration = 1;

    public const int KeepAlivePass = 2;

    /// <summary>Folds the 64-bit user id into the lock's 32 bits; two users sharing a key only wait for each other.</summary>
    public static int ForUser(long telegramUserId) => unchecked((int)(telegramUserId ^ (telegramUserId >>> 32)));
}
