using System.Runtime.CompilerServices;
using JiraAuthServer.Core.Grants;
using JiraAuthServer.Infrastructure.Storage.Fields;

namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>
/// A record's lines in the token file, <c>  "id": {...}</c>, as Python's <c>json.dump(indent=2)</c> lays them out:
/// written from the grant, or from its <see cref="RecordTemplate"/> with the tokens put back.
/// </summary>
internal static class EntryWriter
{
    // The methods marked AggressiveOptimization run once per record while 100,000 records load at start-up:
    // compiled optimized at once, they do not spend that start-up in unoptimized code waiting for tiering.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Write(EntryBuffer buffer, long telegramUserId, StoredEntry entry)
    {
        if (entry.Template is { } template)
        {
            WriteTemplate(buffer, template, entry.Grant);
        }
        else
        {
            Render(buffer, telegramUserId, entry.Grant);
        }
    }

    /// <summary>The lines for a grant without unknown fields; byte for byte what the Newtonsoft writer makes of it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Render(EntryBuffer buffer, long telegramUserId, StoredGrant grant)
    {
        if (grant.UnknownFields.Count > 0)
        {
            throw new ArgumentException("A grant with unknown fields is written through its template.", nameof(grant));
        }

        buffer.Ascii("  \""u8);
        buffer.Number(telegramUserId);
        buffer.Ascii("\": {"u8);
        WriteFields(buffer, grant, RecordLayout.Indented);
        buffer.Ascii("\n  }"u8);
    }

    /// <summary>
    /// The record on one line, <c>{"access_token": ..., ...}</c>, unknown fields last (as compact JSON): what a journal
    /// line holds. <see cref="GrantRecordReader"/> reads it back to the same grant.
    /// </summary>
    public static void RenderCompact(EntryBuffer buffer, StoredGrant grant)
    {
        buffer.Ascii("{"u8);
        WriteFields(buffer, grant, RecordLayout.Compact);

        foreach (var (name, raw) in grant.UnknownFields)
        {
            buffer.Ascii(", "u8);
            buffer.String(name);
            buffer.Ascii(": "u8);
            buffer.Json(raw);
        }

        buffer.Ascii("}"u8);
    }

    /// <summary>Every field the grant has, in <see cref="GrantFields"/> order, with the layout's separators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteFields(EntryBuffer buffer, StoredGrant grant, RecordLayout layout)
    {
        var first = true;
        foreach (var field in GrantFields.All)
        {
            if (field.IsPresent(grant))
            {
                buffer.Ascii(layout == RecordLayout.Indented ? (first ? "\n    \""u8 : ",\n    \""u8) : (first ? "\""u8 : ", \""u8));
                buffer.Ascii(field.Utf8Name);
                buffer.Ascii("\": "u8);
                field.Write(buffer, grant, layout);
                first = false;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteTemplate(EntryBuffer buffer, RecordTemplate template, StoredGrant grant)
    {
        var text = template.Text.AsSpan();
        var accessFirst = template.AccessCut <= template.RefreshCut;
        var written = 0;
        PutBack(buffer, text, accessFirst ? template.AccessCut : template.RefreshCut, accessFirst ? grant.SealedAccessToken : grant.SealedRefreshToken, ref written);
        PutBack(buffer, text, accessFirst ? template.RefreshCut : template.AccessCut, accessFirst ? grant.SealedRefreshToken : grant.SealedAccessToken, ref written);
        buffer.Ascii(text[written..]);
    }

    /// <summary>The template's text up to <paramref name="cut"/>, then the token cut out there (none when -1).</summary>
    private static void PutBack(EntryBuffer buffer, ReadOnlySpan<byte> text, int cut, SealedText token, ref int written)
    {
        if (cut < 0)
        {
            return;
        }

        buffer.Ascii(text[written..cut]);
        token.TryGetBase64Bytes(out var data);
        buffer.Base64(data);
        written = cut;
    }
}
