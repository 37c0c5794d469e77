using System.Globalization;
using System.Text;
using JiraAuthServer.Core.Grants;
using Newtonsoft.Json;

namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>One record of the token file ↔ <see cref="StoredGrant"/>, with the old server's field names.</summary>
internal static class GrantJsonMapper
{
    internal const string AccessToken = "access_token";
    internal const string RefreshToken = "refresh_token";
    internal const string ExpiresAt = "expires_at";
    internal const string TokenType = "token_type";
    internal const string Scope = "scope";
    internal const string CreatedAt = "created_at";
    internal const string UpdatedAt = "updated_at";
    internal const string JiraAccountId = "jira_account_id";
    internal const string JiraEmail = "jira_email";
    internal const string JiraCloudId = "jira_cloud_id";
    internal const string JiraSiteUrl = "jira_site_url";
    internal const string JiraSiteName = "jira_site_name";
    internal const string ReauthorizationRequiredAt = "reauthorization_required_at";
    internal const string JiraSites = "jira_sites";

    private static readonly HashSet<string> KnownFields =
    [
        AccessToken, RefreshToken, ExpiresAt, TokenType, Scope, CreatedAt, UpdatedAt, JiraAccountId, JiraEmail,
        JiraCloudId, JiraSiteUrl, JiraSiteName, ReauthorizationRequiredAt, JiraSites,
    ];

    /// <summary>
    /// The record's lines in the file for a grant this server stores. Grants without unknown fields go through
    /// <see cref="EntryWriter"/>; the rare one that carries fields of an older server through Newtonsoft, which lays
    /// out their arbitrary JSON (and refuses it when it is not JSON).
    /// </summary>
    public static byte[] SerializeEntry(long telegramUserId, StoredGrant grant)
    {
        if (grant.UnknownFields.Count == 0)
        {
            var buffer = new EntryBuffer();
            EntryWriter.Render(buffer, telegramUserId, grant);
            return buffer.Written.ToArray();
        }

        return SerializeWithNewtonsoft(telegramUserId, grant);
    }

    /// <summary>The Newtonsoft layout of a record, the reference <see cref="EntryWriter"/> matches byte for byte.</summary>
    internal static byte[] SerializeWithNewtonsoft(long telegramUserId, StoredGrant grant)
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

    /// <summary>
    /// How a saved grant is held: without unknown fields, as itself (its lines are written from it); with them, with a
    /// template of its serialized lines, the tokens cut out (they are the first two fields, as base64 exactly when
    /// held as bytes).
    /// </summary>
    public static StoredEntry ToEntry(long telegramUserId, StoredGrant grant)
    {
        if (grant.UnknownFields.Count == 0)
        {
            return new StoredEntry(grant);
        }

        var entry = SerializeEntry(telegramUserId, grant);
        var accessStart = IndexAfter(entry, 0, "\"access_token\": \""u8);
        var access = grant.SealedAccessToken.IsBase64 ? (accessStart, grant.SealedAccessToken.Length) : (-1, 0);
        var refreshStart = IndexAfter(entry, accessStart, "\"refresh_token\": \""u8);
        var refresh = grant.SealedRefreshToken.IsBase64 ? (refreshStart, grant.SealedRefreshToken.Length) : (-1, 0);
        return new StoredEntry(grant, RecordTemplate.Cut(entry, access, refresh));
    }

    private static int IndexAfter(byte[] entry, int from, ReadOnlySpan<byte> text) => from + entry.AsSpan(from).IndexOf(text) + text.Length;

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
}
