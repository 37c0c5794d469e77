using System.Globalization;
using System.Text.Json;
using JiraAuthServer.Core.Authorization;
using JiraAuthServer.Infrastructure.Storage.Journal;

namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>
/// The pending-states journal lines: <c>{"seq": 7, "op": "add", "sha256": .., "telegram_user_id": .., "expires_at": ..}</c>
/// in the snapshot's field names, or <c>"op": "take"</c> with the digest only. Like the snapshot, it never holds a state.
/// </summary>
internal static class AuthStateJournal
{
    public static void WriteAdd(JournalLineWriter lines, long sequence, string digest, PendingAuthorization pending)
    {
        Start(lines, sequence, "\"add\""u8, digest);
        lines.Buffer.Ascii(", \"telegram_user_id\": "u8);
        lines.Buffer.Number(pending.TelegramUserId);
        lines.Buffer.Ascii(", \"expires_at\": "u8);
        // "O" keeps every tick, so a state read back compares equal to the one issued.
        lines.Buffer.String(pending.ExpiresAt.ToString("O", CultureInfo.InvariantCulture));
        lines.End();
    }

    public static void WriteTake(JournalLineWriter lines, long sequence, string digest)
    {
        Start(lines, sequence, "\"take\""u8, digest);
        lines.End();
    }

    /// <summary>Reads one change: each digest with the state added under it, null for a take.</summary>
    /// <exception cref="JournalDamageException">A line is not an add or a take of this layout.</exception>
    public static List<KeyValuePair<string, PendingAuthorization?>> Read(IReadOnlyList<JournalLine> change)
    {
        var result = new List<KeyValuePair<string, PendingAuthorization?>>(change.Count);
        foreach (var line in change)
        {
            result.Add(ReadLine(line));
        }

        return result;
    }

    private static KeyValuePair<string, PendingAuthorization?> ReadLine(JournalLine line)
    {
        string? op = null;
        string? digest = null;
        long? userId = null;
        DateTimeOffset? expiresAt = null;
        JournalPayload.Read(line, (ref Utf8JsonReader reader, ReadOnlySpan<byte> _) =>
        {
            if (reader.ValueTextEquals("op"u8))
            {
                op = JournalPayload.String(ref reader);
            }
            else if (reader.ValueTextEquals("sha256"u8))
            {
                digest = JournalPayload.String(ref reader);
            }
            else if (reader.ValueTextEquals("telegram_user_id"u8))
            {
                reader.Read();
                userId = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var id) ? id : throw JournalDamageException.At(line, "has a telegram_user_id that is not a number");
            }
            else if (reader.ValueTextEquals("expires_at"u8))
            {
                expiresAt = DateTimeOffset.TryParse(JournalPayload.String(ref reader), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time)
                    ? time
                    : throw JournalDamageException.At(line, "has an expires_at that is not a time");
            }
            else
            {
                return false;
            }

            return true;
        });

        return (op, digest, userId, expiresAt) switch
        {
            (_, null, _, _) => throw JournalDamageException.At(line, "has no sha256"),
            ("add", { } key, { } id, { } time) => KeyValuePair.Create(key, (PendingAuthorization?)new PendingAuthorization(string.Empty, id, time)),
            ("add", _, _, _) => throw JournalDamageException.At(line, "is an add without telegram_user_id or expires_at"),
            ("take", { } key, _, _) => KeyValuePair.Create(key, (PendingAuthorization?)null),
            _ => throw JournalDamageException.At(line, $"has op {(op is null ? "missing" : $"'{op}'")}, expected 'add' or 'take'"),
        };
    }

    private static void Start(JournalLineWriter lines, long sequence, ReadOnlySpan<byte> op, string digest)
    {
        lines.Begin(sequence);
        lines.Buffer.Ascii(", \"op\": "u8);
        lines.Buffer.Ascii(op);
        lines.Buffer.Ascii(", \"sha256\": "u8);
        lines.Buffer.String(digest);
    }
}
