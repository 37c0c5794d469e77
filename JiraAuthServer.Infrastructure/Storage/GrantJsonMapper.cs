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

    private static readonly HashSet<string> KnownFields =
    [
        AccessToken, RefreshToken, ExpiresAt, TokenType, Scope, CreatedAt, UpdatedAt, JiraAccountId, JiraEmail,
        JiraCloudId, JiraSiteUrl, JiraSiteName, ReauthorizationRequiredAt,
    ];

    /// <summary>Reads a record; <paramref name="problem"/> says what is wrong with it, phrased to follow "it".</summary>
    public static bool TryRead(JObject record, [NotNullWhen(true)] out StoredGrant? grant, out string problem)
    {
        grant = null;
        string? access = null, refresh = null, tokenType = null, scope = null;
        string? accountId = null, email = null, cloudId = null, siteUrl = null, siteName = null;
        DateTimeOffset? expiresAt = null, createdAt = null, updatedAt = null, reauthorizationRequiredAt = null;
        Dictionary<string, string>? unknown = null;

        foreach (var property in record.Properties())
        {
            var value = property.Value;
            var understood = property.Name switch
            {
                AccessToken => TryText(value, out access),
                RefreshToken => TryText(value, out refresh),
                ExpiresAt => TryTime(value, out expiresAt),
                TokenType => TryText(value, out tokenType),
                Scope => TryText(value, out scope),
                CreatedAt => TryTime(value, out createdAt),
                UpdatedAt => TryTime(value, out updatedAt),
                JiraAccountId => TryText(value, out accountId),
                JiraEmail => TryText(value, out email),
                JiraCloudId => TryText(value, out cloudId),
                JiraSiteUrl => TryText(value, out siteUrl),
                JiraSiteName => TryText(value, out siteName),
                ReauthorizationRequiredAt => TryTime(value, out reauthorizationRequiredAt),
                _ => AddUnknown(ref unknown, property),
            };
            if (!understood)
            {
                problem = value.Type == JTokenType.String
                    ? $"has field '{property.Name}' that is not a timestamp: \"{value}\""
                    : $"has field '{property.Name}' of JSON type {value.Type}, expected a string";
                return false;
            }
        }

        problem = access is null ? $"has no {AccessToken}"
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
        };
        if (unknown is not null)
        {
            grant = grant with { UnknownFields = unknown };
        }

        return true;
    }

    /// <summary>The record's lines in the file exactly as a loaded record read them (field order, timestamps as written).</summary>
    public static byte[] SerializeEntry(long telegramUserId, JObject record) => SerializeEntry(telegramUserId, record.WriteTo);

    /// <summary>The record's lines in the file for a grant this server stores.</summary>
    public static byte[] SerializeEntry(long telegramUserId, StoredGrant grant) => SerializeEntry(telegramUserId, writer => Write(writer, grant));

    private static byte[] SerializeEntry(long telegramUserId, Action<JsonWriter> writeRecord)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var writer = TokenFileJson.CreateWriter(text))
        {
            // Written inside a one-entry object so the indentation is the file's; the braces are cut off below.
            writer.WriteStartObject();
            writer.WritePropertyName(telegramUserId.ToString(CultureInfo.InvariantCulture));
            writeRecord(writer);
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

    private static bool TryText(JToken value, out string? text)
    {
        text = value.Type == JTokenType.String ? (string?)value : null;
        return value.Type is JTokenType.String or JTokenType.Null;
    }

    private static bool TryTime(JToken value, out DateTimeOffset? time)
    {
        time = null;
        if (value.Type == JTokenType.Null)
        {
            return true;
        }

        if (value.Type == JTokenType.String && IsoTime.TryParse((string?)value, out var parsed))
        {
            time = parsed;
            return true;
        }

        return false;
    }

    private static bool AddUnknown(ref Dictionary<string, string>? unknown, JProperty property)
    {
        unknown ??= [];
        unknown[property.Name] = TokenFileJson.ToRaw(property.Value);
        return true;
    }
}
