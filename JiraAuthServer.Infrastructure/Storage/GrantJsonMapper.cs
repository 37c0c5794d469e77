using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using JiraAuthServer.Core.Grants;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>One record of the token file ↔ <see cref="StoredGrant"/>, with the old server's field names.</summary>
internal static class GrantJsonMapper
{
    private const string AccessToken = "access_token";
    private const string RefreshToken = "refresh_token";
    private const string ExpiresAt = "expires_at";
    private const string TokenType = "token_type";
    private const string Scope = "scope";
    private const string CreatedAt = "created_at";
    private const string UpdatedAt = "updated_at";
    private const string JiraAccountId = "jira_account_id";
    private const string JiraEmail = "jira_email";
    private const string JiraCloudId = "jira_cloud_id";
    private const string JiraSiteUrl = "jira_site_url";
    private const string JiraSiteName = "jira_site_name";
    private const string ReauthorizationRequiredAt = "reauthorization_required_at";
    private const string JiraSites = "jira_sites";

    private static readonly HashSet<string> KnownFields =
    [
        AccessToken, RefreshToken, ExpiresAt, TokenType, Scope, CreatedAt, UpdatedAt, JiraAccountId, JiraEmail,
        JiraCloudId, JiraSiteUrl, JiraSiteName, ReauthorizationRequiredAt, JiraSites,
    ];

    /// <summary>
    /// Reads a record from <paramref name="reader"/>, positioned on its opening brace, up to its closing brace;
    /// <paramref name="problem"/> says what is wrong with it, phrased to follow "it". A repeated field counts once,
    /// the last one, as in Python.
    /// </summary>
    public static bool TryRead(JsonReader reader, [NotNullWhen(true)] out StoredGrant? grant, out string problem)
    {
        grant = null;
        string? access = null, refresh = null, tokenType = null, scope = null;
        string? accountId = null, email = null, cloudId = null, siteUrl = null, siteName = null;
        DateTimeOffset? expiresAt = null, createdAt = null, updatedAt = null, reauthorizationRequiredAt = null;
        IReadOnlyList<JiraSite>? sites = null;
        Dictionary<string, string>? unknown = null;

        while (reader.Read() && reader.TokenType == JsonToken.PropertyName)
        {
            var name = (string)reader.Value!;
            reader.Read();
            var understood = name switch
            {
                AccessToken => TryText(reader, out access),
                RefreshToken => TryText(reader, out refresh),
                ExpiresAt => TryTime(reader, out expiresAt),
                TokenType => TryText(reader, out tokenType),
                Scope => TryText(reader, out scope),
                CreatedAt => TryTime(reader, out createdAt),
                UpdatedAt => TryTime(reader, out updatedAt),
                JiraAccountId => TryText(reader, out accountId),
                JiraEmail => TryText(reader, out email),
                JiraCloudId => TryText(reader, out cloudId),
                JiraSiteUrl => TryText(reader, out siteUrl),
                JiraSiteName => TryText(reader, out siteName),
                ReauthorizationRequiredAt => TryTime(reader, out reauthorizationRequiredAt),
                JiraSites => JiraSiteListJson.TryRead(reader, out sites),
                _ => AddUnknown(ref unknown, name, reader),
            };
            if (!understood)
            {
                problem = name == JiraSites ? $"has field '{name}' that is not a list of sites ({JiraSiteListJson.Shape})"
                    : reader.TokenType == JsonToken.String ? $"has field '{name}' that is not a timestamp: \"{reader.Value}\""
                    : $"has field '{name}' of JSON type {reader.TokenType}, expected a string";
                return false;
            }
        }

        problem = reader.TokenType != JsonToken.EndObject ? $"has {reader.TokenType} where a field name must come"
            : access is null ? $"has no {AccessToken}"
            : refresh is null ? $"has no {RefreshToken}"
            : expiresAt is null ? $"has no {ExpiresAt}"
            : string.Empty;
        if (problem.Length > 0)
        {
            return false;
        }

        grant = new StoredGrant
        {
            EncryptedAccessToken = access!,
            EncryptedRefreshToken = refresh!,
            ExpiresAt = expiresAt!.Value,
            TokenType = tokenType ?? "Bearer",
            Scope = scope ?? string.Empty,
            CreatedAt = createdAt,
            UpdatedAt = updatedAt,
            JiraAccountId = accountId,
            JiraEmail = email,
            JiraCloudId = cloudId,
            JiraSiteUrl = siteUrl,
            JiraSiteName = siteName,
            ReauthorizationRequiredAt = reauthorizationRequiredAt,
            JiraSites = sites,
        };
        if (unknown is not null)
        {
            grant = grant with { UnknownFields = unknown };
        }

        return true;
    }

    /// <summary>The record's lines in the file: <c>  "id": </c> and the record's JSON text exactly as given.</summary>
    public static byte[] EntryFromText(long telegramUserId, ReadOnlySpan<char> recordText)
    {
        var prefix = $"  \"{telegramUserId.ToString(CultureInfo.InvariantCulture)}\": ";
        var entry = new byte[prefix.Length + Encoding.UTF8.GetByteCount(recordText)];
        var written = Encoding.UTF8.GetBytes(prefix, entry);
        Encoding.UTF8.GetBytes(recordText, entry.AsSpan(written));
        return entry;
    }

    /// <summary>The record's lines in the file for a grant this server stores.</summary>
    public static byte[] SerializeEntry(long telegramUserId, StoredGrant grant)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var writer = TokenFileJson.CreateWriter(text))
        {
            // Written inside a one-entry object so the indentation is the file's; the braces are cut off below.
            writer.WriteStartObject();
            writer.WritePropertyName(telegramUserId.ToString(CultureInfo.InvariantCulture));
            Write(writer, grant);
            writer.WriteEndObject();
        }

        var wrapped = text.GetStringBuilder();
        return Encoding.UTF8.GetBytes(wrapped.ToString(2, wrapped.Length - 4));
    }

    private static void Write(JsonWriter writer, StoredGrant grant)
    {
        writer.WriteStartObject();
        WriteText(writer, AccessToken, grant.EncryptedAccessToken);
        WriteText(writer, RefreshToken, grant.EncryptedRefreshToken);
        WriteTime(writer, ExpiresAt, grant.ExpiresAt);
        WriteText(writer, TokenType, grant.TokenType);
        WriteText(writer, Scope, grant.Scope);
        WriteTime(writer, CreatedAt, grant.CreatedAt);
        WriteTime(writer, UpdatedAt, grant.UpdatedAt);
        WriteText(writer, JiraAccountId, grant.JiraAccountId);
        WriteText(writer, JiraEmail, grant.JiraEmail);
        WriteText(writer, JiraCloudId, grant.JiraCloudId);
        WriteText(writer, JiraSiteUrl, grant.JiraSiteUrl);
        WriteText(writer, JiraSiteName, grant.JiraSiteName);
        WriteTime(writer, ReauthorizationRequiredAt, grant.ReauthorizationRequiredAt);
        if (grant.JiraSites is { } sites)
        {
            writer.WritePropertyName(JiraSites);
            JiraSiteListJson.Write(writer, sites);
        }

        foreach (var (name, raw) in grant.UnknownFields)
        {
            if (KnownFields.Contains(name))
            {
                throw new ArgumentException($"Unknown field '{name}' has the name of a known field.", nameof(grant));
            }

            writer.WritePropertyName(name);
            TokenFileJson.WriteRaw(writer, name, raw);
        }

        writer.WriteEndObject();
    }

    // Absent stays absent: the old server's records carry no nulls for fields they never had.
    private static void WriteText(JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WritePropertyName(name);
            writer.WriteValue(value);
        }
    }

    private static void WriteTime(JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            writer.WritePropertyName(name);
            writer.WriteValue(IsoTime.Format(time));
        }
    }

    private static bool TryText(JsonReader reader, out string? text)
    {
        text = reader.TokenType == JsonToken.String ? (string)reader.Value! : null;
        return reader.TokenType is JsonToken.String or JsonToken.Null;
    }

    private static bool TryTime(JsonReader reader, out DateTimeOffset? time)
    {
        time = null;
        if (reader.TokenType == JsonToken.Null)
        {
            return true;
        }

        if (reader.TokenType == JsonToken.String && IsoTime.TryParse((string)reader.Value!, out var parsed))
        {
            time = parsed;
            return true;
        }

        return false;
    }

    private static bool AddUnknown(ref Dictionary<string, string>? unknown, string name, JsonReader reader)
    {
        unknown ??= [];
        unknown[name] = TokenFileJson.ToRaw(JToken.ReadFrom(reader));
        return true;
    }
}
