using System.Globalization;
using JiraAuthServer.Core.Grants;
using JiraAuthServer.Infrastructure.Storage;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Npgsql;
using NpgsqlTypes;

namespace JiraAuthServer.Infrastructure.Postgres;

/// <summary>
/// One row of <c>jira_auth_grants</c> ↔ <see cref="StoredGrant"/>: the tokens stay the Fernet text of the token
/// file, timestamps are <c>timestamptz</c> to the microsecond (as in the file), unknown fields a <c>jsonb</c> object.
/// </summary>
internal static class GrantRows
{
    public const string Columns =
        "telegram_user_id, access_token, refresh_token, expires_at, token_type, scope, created_at, updated_at, " +
        "jira_account_id, jira_email, jira_cloud_id, jira_site_url, jira_site_name, reauthorization_required_at, unknown_fields";

    public static readonly string Upsert =
        $"INSERT INTO {PostgresSchema.Grants} ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) " +
        "ON CONFLICT (telegram_user_id) DO UPDATE SET " +
        string.Join(", ", Columns.Split(", ").Skip(1).Select(column => $"{column} = EXCLUDED.{column}"));

    /// <summary>
    /// <see cref="Upsert"/>'s parameters, then those of <see cref="AddVersionParameters"/>: a refresh, a new
    /// authorization or a re-authorization mark always changes the tokens or the mark.
    /// </summary>
    public static readonly string ReplaceIfUnchanged =
        $"UPDATE {PostgresSchema.Grants} SET " +
        string.Join(", ", Columns.Split(", ").Skip(1).Select((column, index) => $"{column} = ${index + 2}")) +
        " WHERE telegram_user_id = $1 AND access_token = $16 AND refresh_token = $17 AND reauthorization_required_at IS NOT DISTINCT FROM $18";

    private const string EmptyObject = "{}";

    public static void AddParameters(NpgsqlParameterCollection parameters, long telegramUserId, StoredGrant grant)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(telegramUserId);
        ArgumentNullException.ThrowIfNull(grant);
        parameters.Add(new NpgsqlParameter<long> { TypedValue = telegramUserId });
        parameters.Add(Text(grant.EncryptedAccessToken));
        parameters.Add(Text(grant.EncryptedRefreshToken));
        parameters.Add(Time(grant.ExpiresAt));
        parameters.Add(Text(grant.TokenType));
        parameters.Add(Text(grant.Scope));
        parameters.Add(Time(grant.CreatedAt));
        parameters.Add(Time(grant.UpdatedAt));
        parameters.Add(Text(grant.JiraAccountId));
        parameters.Add(Text(grant.JiraEmail));
        parameters.Add(Text(grant.JiraCloudId));
        parameters.Add(Text(grant.JiraSiteUrl));
        parameters.Add(Text(grant.JiraSiteName));
        parameters.Add(Time(grant.ReauthorizationRequiredAt));
        parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = UnknownFieldsJson(grant.UnknownFields) });
    }

    /// <summary>What <see cref="ReplaceIfUnchanged"/> compares the row with.</summary>
    public static void AddVersionParameters(NpgsqlParameterCollection parameters, StoredGrant expected)
    {
        parameters.Add(Text(expected.EncryptedAccessToken));
        parameters.Add(Text(expected.EncryptedRefreshToken));
        parameters.Add(Time(expected.ReauthorizationRequiredAt));
    }

    /// <summary>Reads the row at the reader's position, its columns in <see cref="Columns"/> order.</summary>
    public static KeyValuePair<long, StoredGrant> Read(NpgsqlDataReader row)
    {
        var grant = new StoredGrant
        {
            EncryptedAccessToken = row.GetString(1),
            EncryptedRefreshToken = row.GetString(2),
            ExpiresAt = row.GetFieldValue<DateTimeOffset>(3),
            TokenType = row.GetString(4),
            Scope = row.GetString(5),
            CreatedAt = OptionalTime(row, 6),
            UpdatedAt = OptionalTime(row, 7),
            JiraAccountId = OptionalText(row, 8),
            JiraEmail = OptionalText(row, 9),
            JiraCloudId = OptionalText(row, 10),
            JiraSiteUrl = OptionalText(row, 11),
            JiraSiteName = OptionalText(row, 12),
            ReauthorizationRequiredAt = OptionalTime(row, 13),
        };
        var unknown = row.GetString(14);
        if (unknown != EmptyObject)
        {
            grant = grant with { UnknownFields = ParseUnknownFields(unknown) };
        }

        return KeyValuePair.Create(row.GetInt64(0), grant);
    }

    /// <summary>The file's precision: a grant that went through the database compares equal to one from the file.</summary>
    public static DateTimeOffset ToMicroseconds(DateTimeOffset time)
    {
        var utc = time.UtcTicks;
        return new DateTimeOffset(utc - (utc % 10), TimeSpan.Zero);
    }

    private static NpgsqlParameter Text(string? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    private static NpgsqlParameter Time(DateTimeOffset? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = value is { } time ? ToMicroseconds(time) : DBNull.Value };

    private static string? OptionalText(NpgsqlDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetString(ordinal);

    private static DateTimeOffset? OptionalTime(NpgsqlDataReader row, int ordinal) =>
        row.IsDBNull(ordinal) ? null : row.GetFieldValue<DateTimeOffset>(ordinal);

    private static string UnknownFieldsJson(IReadOnlyDictionary<string, string> fields)
    {
        if (fields.Count == 0)
        {
            return EmptyObject;
        }

        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var writer = TokenFileJson.CreateWriter(text, Formatting.None))
        {
            writer.WriteStartObject();
            foreach (var (name, raw) in fields)
            {
                writer.WritePropertyName(name);
                TokenFileJson.WriteRaw(writer, name, raw);
            }

            writer.WriteEndObject();
        }

        return text.ToString();
    }

    /// <summary>Each value back to the compact text the token file loader makes of it.</summary>
    private static Dictionary<string, string> ParseUnknownFields(string json)
    {
        using var reader = TokenFileJson.CreateReader(new StringReader(json));
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in JObject.Load(reader).Properties())
        {
            fields[property.Name] = TokenFileJson.ToRaw(property.Value);
        }

        return fields;
    }
}
