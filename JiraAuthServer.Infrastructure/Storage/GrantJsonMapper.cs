using System.Globalization;
using System.Text;
using JiraAuthServer.Core.Grants;
using JiraAuthServer.Infrastructure.Storage.Fields;
using Newtonsoft.Json;

namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>One record of the token file ↔ <see cref="StoredGrant"/>, with the old server's field names.</summary>
internal static class GrantJsonMapper
{
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
        foreach (var field in GrantFields.All)
        {
            if (field.IsPresent(grant))
            {
                writer.WritePropertyName(field.Name);
                field.Write(writer, grant);
            }
        }

        foreach (var (name, raw) in grant.UnknownFields)
        {
            if (GrantFields.Named(name) is not null)
            {
                throw new ArgumentException($"Unknown field '{name}' has the name of a known field.", nameof(grant));
            }

            writer.WritePropertyName(name);
            TokenFileJson.WriteRaw(writer, name, raw);
        }

        writer.WriteEndObject();
    }
}
