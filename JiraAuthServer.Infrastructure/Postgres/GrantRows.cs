using System.Globalization;
using JiraAuthServer.Core.Grants;
using JiraAuthServer.Infrastructure.Storage;
using JiraAuthServer.Infrastructure.Storage.Fields;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Npgsql;

namespace JiraAuthServer.Infrastructure.Postgres;

/// <summary>
/// One row of <c>jira_auth_grants</c> ↔ <see cref="StoredGrant"/>: a column per field of <see cref="GrantFields"/>,
/// named as in the token file (the tokens stay the file's Fernet text, timestamps are <c>timestamptz</c> to the
/// microsecond), after the user id, and the unknown fields last as a <c>jsonb</c> object.
/// </summary>
internal static class GrantRows
{
    private const string UnknownFields = "unknown_fields";
    private const string EmptyObject = "{}";

    // Static fields initialize in textual order: this one comes before the statements built from it.
    private static readonly string NextRevision = $"nextval('{PostgresSchema.Revisions}')";

    /// <summary>The user id, the fields, the unknown fields: the order of <see cref="AddParameters"/> and <see cref="Read"/>.</summary>
    public static readonly string Columns = string.Join(", ", ["telegram_user_id", .. GrantFields.All.Select(field => field.Name), UnknownFields]);

    /// <summary>Stores the row as given, its revision included: for copies (import, export), which keep revisions.</summary>
    public static readonly string Copy =
        $"INSERT INTO {PostgresSchema.Grants} ({Columns}) VALUES ({Placeholders()}) " +
        $"ON CONFLICT (telegram_user_id) DO UPDATE SET {Assignments(column => $"EXCLUDED.{column}")}";

    /// <summary>Stores the row under a new revision from the shared sequence, so no revision is ever handed out twice.</summary>
    public static readonly string Upsert =
        $"INSERT INTO {PostgresSchema.Grants} ({Columns}) VALUES ({Placeholders(newRevision: true)}) " +
        $"ON CONFLICT (telegram_user_id) DO UPDATE SET {Assignments(column => $"EXCLUDED.{column}")}";

    /// <summary>
    /// <see cref="AddParameters"/>, then the expected revision: the row changes (under a new revision) only while it
    /// still has the revision that was read. PostgreSQL checks it against the row's latest version under its row lock.
    /// </summary>
    public static readonly string ReplaceIfUnchanged =
        $"UPDATE {PostgresSchema.Grants} SET {Assignments(column => column == GrantFields.Revision.Name ? NextRevision : Parameter(column))} " +
        $"WHERE telegram_user_id = $1 AND {GrantFields.Revision.Name} = ${ParameterCount + 1}";

    /// <summary>
    /// New ciphertexts for the same grant ($1 user, $2 access token, $3 refresh token, $4 revision read): the revision
    /// stays, and a row changed since it was read is left alone.
    /// </summary>
    public static readonly string Reencrypt =
        $"UPDATE {PostgresSchema.Grants} SET {GrantFields.AccessToken.Name} = $2, {GrantFields.RefreshToken.Name} = $3 " +
        $"WHERE telegram_user_id = $1 AND {GrantFields.Revision.Name} = $4";

    /// <summary>After copies, the sequence continues above every revision stored.</summary>
    public static readonly string RevisionsAboveCopies =
        $"SELECT setval('{PostgresSchema.Revisions}', GREATEST((SELECT coalesce(max({GrantFields.Revision.Name}), 0) FROM {PostgresSchema.Grants}), " +
        $"(SELECT last_value FROM {PostgresSchema.Revisions})))";

    private static int ParameterCount => GrantFields.All.Count + 2;

    public static void AddParameters(NpgsqlParameterCollection parameters, long telegramUserId, StoredGrant grant)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(telegramUserId);
        ArgumentNullException.ThrowIfNull(grant);
        parameters.Add(new NpgsqlParameter<long> { TypedValue = telegramUserId });
        foreach (var field in GrantFields.All)
        {
            parameters.Add(new NpgsqlParameter { DataTypeName = field.SqlType, Value = field.ToDatabase(grant) });
        }

        parameters.Add(new NpgsqlParameter { DataTypeName = "jsonb", Value = UnknownFieldsJson(grant.UnknownFields) });
    }

    /// <summary>What <see cref="ReplaceIfUnchanged"/> compares the row with.</summary>
    public static void AddExpectedRevision(NpgsqlParameterCollection parameters, StoredGrant expected) =>
        parameters.Add(new NpgsqlParameter<long> { TypedValue = expected.Revision });

    /// <summary>Reads the row at the reader's position, its columns in <see cref="Columns"/> order.</summary>
    public static KeyValuePair<long, StoredGrant> Read(NpgsqlDataReader row)
    {
        var grant = GrantFields.NewTarget();
        foreach (var field in GrantFields.All)
        {
            var ordinal = field.Index + 1;
            field.FromDatabase(grant, row.IsDBNull(ordinal) ? DBNull.Value : ValueOf(row, ordinal, field));
        }

        var unknown = row.GetString(ParameterCount - 1);
        if (unknown != EmptyObject)
        {
            grant = grant with { UnknownFields = ParseUnknownFields(unknown) };
        }

        return KeyValuePair.Create(row.GetInt64(0), grant);
    }

    private static object ValueOf(NpgsqlDataReader row, int ordinal, GrantField field) => field.SqlType switch
    {
        "timestamptz" => row.GetFieldValue<DateTimeOffset>(ordinal),
        "bigint" => row.GetInt64(ordinal),
        _ => row.GetString(ordinal),
    };

    private static string Parameter(string column) => $"${Array.IndexOf(Columns.Split(", "), column) + 1}";

    private static string Placeholders(bool newRevision = false) =>
        string.Join(", ", Columns.Split(", ").Select(column => newRevision && column == GrantFields.Revision.Name ? NextRevision : Parameter(column)));

    private static string Assignments(Func<string, string> value) =>
        string.Join(", ", Columns.Split(", ").Skip(1).Select(column => $"{column} = {value(column)}"));

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
