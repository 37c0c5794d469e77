using JiraAuthServer.Core.Grants;
using JiraAuthServer.Core.Storage;
using JiraAuthServer.Infrastructure.Storage;
using JiraAuthServer.Infrastructure.Storage.Fields;
using Newtonsoft.Json.Linq;
using Npgsql;

namespace JiraAuthServer.Infrastructure.Postgres;

/// <summary>
/// Copies the grants of a token file into the database: new users are inserted, older or equal database records
/// are replaced, a database record with a later <c>updated_at</c> is never overwritten, identical ones are left alone.
/// Repeating it changes nothing. One transaction, with the table locked against writers meanwhile, so the counts are
/// exactly what happened.
/// </summary>
public static class TokenFileImport
{
    private static readonly string SelectMany = $"SELECT {GrantRows.Columns} FROM {PostgresSchema.Grants} WHERE telegram_user_id = ANY($1)";

    public static Task<TokenFileImportResult> ImportAsync(PostgresDatabase database, IReadOnlyList<KeyValuePair<long, StoredGrant>> fileGrants, CancellationToken cancellationToken) =>
        ImportAsync(database, fileGrants, progress: null, cancellationToken);

    /// <param name="database">The database.</param>
    /// <param name="fileGrants">The token file's grants.</param>
    /// <param name="progress">Told how many of the inserts and updates have been sent (the total is theirs, not the file's).</param>
    /// <param name="cancellationToken">Cancels the whole import; nothing is written then.</param>
    public static Task<TokenFileImportResult> ImportAsync(
        PostgresDatabase database, IReadOnlyList<KeyValuePair<long, StoredGrant>> fileGrants, IProgress<GrantProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(fileGrants);
        return LockedGrantRewrite.RunAsync(
            database,
            async (connection, token) => Classify(fileGrants, await ReadAsync(connection, fileGrants.Select(pair => pair.Key).ToArray(), token).ConfigureAwait(false)),
            progress,
            cancellationToken);
    }

    /// <summary>
    /// Equal in every field as a row holds it (timestamps to the microsecond), unknown ones compared as JSON (the
    /// database may order nested keys differently).
    /// </summary>
    public static bool AreSame(StoredGrant a, StoredGrant b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return GrantFields.All.All(field => Equals(field.ToDatabase(a), field.ToDatabase(b)))
            && a.UnknownFields.Count == b.UnknownFields.Count
            && a.UnknownFields.All(field => b.UnknownFields.TryGetValue(field.Key, out var other) && JToken.DeepEquals(Parse(field.Value), Parse(other)));
    }

    private static (List<KeyValuePair<long, StoredGrant>> Writes, TokenFileImportResult Result) Classify(
        IReadOnlyList<KeyValuePair<long, StoredGrant>> fileGrants, Dictionary<long, StoredGrant> stored)
    {
        var writes = new List<KeyValuePair<long, StoredGrant>>();
        var skipped = new List<long>();
        int inserted = 0, updated = 0, unchanged = 0;
        foreach (var (userId, grant) in fileGrants)
        {
            if (!stored.TryGetValue(userId, out var current))
            {
                inserted++;
                writes.Add(KeyValuePair.Create(userId, grant));
            }
            else if (AreSame(current, grant))
            {
                unchanged++;
            }
            else if ((current.UpdatedAt ?? DateTimeOffset.MinValue) > TimeValue.ToMicroseconds(grant.UpdatedAt ?? DateTimeOffset.MinValue))
            {
                skipped.Add(userId);
            }
            else
            {
                updated++;
                writes.Add(KeyValuePair.Create(userId, grant));
            }
        }

        return (writes, new TokenFileImportResult(inserted, updated, unchanged, skipped));
    }

    private static async Task<Dictionary<long, StoredGrant>> ReadAsync(NpgsqlConnection connection, long[] userIds, CancellationToken cancellationToken)
    {
        await using var select = new NpgsqlCommand(SelectMany, connection);
        select.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = userIds });
        await using var rows = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var stored = new Dictionary<long, StoredGrant>();
        while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var (userId, grant) = GrantRows.Read(rows);
            stored[userId] = grant;
        }

        return stored;
    }

    private static JToken Parse(string raw)
    {
        using var reader = TokenFileJson.CreateReader(new StringReader(raw));
        return JToken.ReadFrom(reader);
    }
}
