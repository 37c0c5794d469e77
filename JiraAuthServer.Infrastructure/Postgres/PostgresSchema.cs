using System.Globalization;
using Npgsql;

namespace JiraAuthServer.Infrastructure.Postgres;

/// <summary>
/// The tables, created and migrated by the server itself at start. Each migration runs once, in order, recorded in
/// <c>jira_auth_schema_version</c>; all of them run in one transaction under an advisory lock, so two servers
/// starting together neither collide nor apply anything twice.
/// </summary>
internal static class PostgresSchema
{
    public const string Grants = "jira_auth_grants";
    public const string States = "jira_auth_states";
    public const string Versions = "jira_auth_schema_version";

    /// <summary>Hands out grant revisions: shared by every instance, never the same number twice.</summary>
    public const string Revisions = "jira_auth_grant_revisions";

    /// <summary>For whole-table changes (import, key rotation): readers go on, writers wait until the commit.</summary>
    public const string LockGrantsAgainstWriters = $"LOCK TABLE {Grants} IN SHARE ROW EXCLUSIVE MODE";

    /// <summary>Migration N (1-based) takes the schema from version N-1 to N. Only ever append.</summary>
    private static readonly string[] Migrations =
    [
        $"""
        CREATE TABLE {Grants} (
            telegram_user_id bigint PRIMARY KEY,
            access_token text NOT NULL,
            refresh_token text NOT NULL,
            expires_at timestamptz NOT NULL,
            token_type text NOT NULL,
            scope text NOT NULL,
            created_at timestamptz,
            updated_at timestamptz,
            jira_account_id text,
            jira_email text,
            jira_cloud_id text,
            jira_site_url text,
            jira_site_name text,
            reauthorization_required_at timestamptz,
            unknown_fields jsonb NOT NULL DEFAULT jsonb_build_object()
        );
        COMMENT ON COLUMN {Grants}.access_token IS 'Fernet token, exactly as in user_tokens.json';
        COMMENT ON COLUMN {Grants}.refresh_token IS 'Fernet token, exactly as in user_tokens.json; empty when the grant has none';
        CREATE TABLE {States} (
            state_hash bytea PRIMARY KEY,
            telegram_user_id bigint NOT NULL,
            expires_at timestamptz NOT NULL
        );
        CREATE INDEX {States}_expires_at ON {States} (expires_at);
        """,
        $"""
        ALTER TABLE {Grants} ADD COLUMN jira_sites jsonb, ADD COLUMN revision bigint NOT NULL DEFAULT 0;
        COMMENT ON COLUMN {Grants}.revision IS 'Changes with every change of the grant, kept by re-encryption; conditional writes compare it';
        CREATE SEQUENCE {Revisions} AS bigint;
        """,
        $"""
        ALTER TABLE {Grants} ADD COLUMN consented_at timestamptz, ADD COLUMN reauthorization_notice_sent_at timestamptz;
        COMMENT ON COLUMN {Grants}.consented_at IS 'The user''s consent (the callback); the grant ends 365 days later. Null in older rows: created_at counts then';
        CREATE INDEX {Grants}_connected ON {Grants} (telegram_user_id) WHERE reauthorization_required_at IS NULL;
        CREATE INDEX {Grants}_reauthorization_required ON {Grants} (telegram_user_id) WHERE reauthorization_required_at IS NOT NULL;
        """,
    ];

    public static int LatestVersion => Migrations.Length;

    /// <returns>The schema version before and after.</returns>
    /// <exception cref="DatabaseStartupException">The database's schema is newer than this server knows.</exception>
    public static (int Before, int After) Migrate(NpgsqlConnection connection, string description)
    {
        using var transaction = connection.BeginTransaction();
        Execute(connection, string.Create(CultureInfo.InvariantCulture, $"SELECT pg_advisory_xact_lock({AdvisoryLockKeys.ServerNamespace}, {AdvisoryLockKeys.SchemaMigration})"));
        Execute(connection, $"CREATE TABLE IF NOT EXISTS {Versions} (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
        using var read = new NpgsqlCommand($"SELECT coalesce(max(version), 0) FROM {Versions}", connection);
        var current = (int)read.ExecuteScalar()!;
        if (current > LatestVersion)
        {
            throw new DatabaseStartupException(
                $"{description} has schema version {current}, newer than this server's {LatestVersion}: it was migrated by a newer server. Run that version (or newer).");
        }

        for (var version = current + 1; version <= LatestVersion; version++)
        {
            Execute(connection, Migrations[version - 1]);
            using var record = new NpgsqlCommand($"INSERT INTO {Versions} (version) VALUES ($1)", connection);
            record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = version });
            record.ExecuteNonQuery();
        }

        transaction.Commit();
        return (current, LatestVersion);
    }

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
