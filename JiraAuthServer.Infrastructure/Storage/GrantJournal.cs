using System.Text.Json;
using JiraAuthServer.Infrastructure.Storage.Journal;

namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>
/// The token file's journal lines: <c>{"seq": 7, "op": "put", "user": 42, "record": {...}, "crc32": ...}</c> with the
/// record in the snapshot's field names, or <c>"op": "delete"</c> without a record. A change of several grants
/// (a copy, a re-encryption) is several lines, all but the last with <c>"more": true</c>: all or none of it replays.
/// </summary>
internal static class GrantJournal
{
    public static void WritePut(JournalLineWriter lines, long sequence, long userId, StoredEntry entry, bool more)
    {
        Start(lines, sequence, more, "\"put\""u8, userId);
        lines.Buffer.Ascii(", \"record\": "u8);
        EntryWriter.RenderCompact(lines.Buffer, entry.Grant);
        lines.End();
    }

    public static void WriteDelete(JournalLineWriter lines, long sequence, long userId)
    {
        Start(lines, sequence, more: false, "\"delete\""u8, userId);
        lines.End();
    }

    /// <summary>Reads one change: each user's new entry, null for a delete.</summary>
    /// <exception cref="JournalDamageException">A line is not a put or a delete of this layout, or its record is incomplete.</exception>
    public static List<KeyValuePair<long, StoredEntry?>> Read(IReadOnlyList<JournalLine> change, GrantRecordReader records)
    {
        var result = new List<KeyValuePair<long, StoredEntry?>>(change.Count);
        foreach (var line in change)
        {
            result.Add(ReadLine(line, records));
        }

        return result;
    }

    private static KeyValuePair<long, StoredEntry?> ReadLine(JournalLine line, GrantRecordReader records)
    {
        string? op = null;
        long? userId = null;
        Core.Grants.StoredGrant? grant = null;
        JournalPayload.Read(line, (ref Utf8JsonReader reader, ReadOnlySpan<byte> text) =>
        {
            if (reader.ValueTextEquals("op"u8))
            {
                op = JournalPayload.String(ref reader);
            }
            else if (reader.ValueTextEquals("user"u8))
            {
                reader.Read();
                userId = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var id) && id > 0 ? id : throw JournalDamageException.At(line, "has a user that is not a Telegram user id");
            }
            else if (reader.ValueTextEquals("record"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw JournalDamageException.At(line, "has a record that is not an object");
                }

                grant = records.TryRead(ref reader, text, out var problem) ?? throw JournalDamageException.At(line, $"has a record that {problem}");
            }
            else
            {
                return false;
            }

            return true;
        });

        return (op, userId, grant) switch
        {
            (_, null, _) => throw JournalDamageException.At(line, "has no user"),
            ("put", { } id, { } record) => KeyValuePair.Create(id, (StoredEntry?)GrantJsonMapper.ToEntry(id, record)),
            ("put", _, null) => throw JournalDamageException.At(line, "is a put without a record"),
            ("delete", { } id, _) => KeyValuePair.Create(id, (StoredEntry?)null),
            _ => throw JournalDamageException.At(line, $"has op {(op is null ? "missing" : $"'{op}'")}, expected 'put' or 'delete'"),
        };
    }

    private static void Start(JournalLineWriter lines, long sequence, bool more, ReadOnlySpan<byte> op, long userId)
    {
        lines.Begin(sequence);
        if (more)
        {
            lines.Buffer.Ascii(", \"more\": true"u8);
        }

        lines.Buffer.Ascii(", \"op\": "u8);
        lines.Buffer.Ascii(op);
        lines.Buffer.Ascii(", \"user\": "u8);
        lines.Buffer.Number(userId);
    }
}
