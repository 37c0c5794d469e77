using System.Text.Json;

namespace JiraAuthServer.Infrastructure.Storage.Journal;

/// <summary>
/// Reads a store's journals in order and hands each complete change (a group of lines; all but its last carry
/// <c>"more": true</c>) to the store. Only the end of the active journal may be cut short: an append that a crash
/// interrupted was never acknowledged, so a last line without its newline, or a change whose last line never came,
/// is dropped (the caller is told, to warn and cut it off). Anything else wrong — a line whose checksum does not
/// match, that is not a journal line, a gap in the sequence numbers — refuses the whole journal, naming the file
/// and line, and nothing is changed on disk.
/// </summary>
internal static class JournalReplay
{
    /// <param name="snapshotPath">The store's snapshot file; its journals sit beside it.</param>
    /// <param name="apply">Takes one complete change; throws <see cref="JournalDamageException"/> when a line's payload is wrong.</param>
    /// <exception cref="JournalDamageException">The journal is damaged.</exception>
    public static JournalState Replay(string snapshotPath, Action<IReadOnlyList<JournalLine>> apply)
    {
        var files = JournalFiles.All(snapshotPath);
        var activePath = JournalFiles.Active(snapshotPath);
        long? last = null;
        long lastApplied = 0;
        var group = new List<JournalLine>();
        var state = new JournalState { HasJournal = files.Count > 0 };
        foreach (var path in files)
        {
            var isActive = path == activePath;
            var bytes = ReadAll(path);
            var offset = 0;
            var appliedEnd = 0;
            var lineNumber = 0;
            var firstUnapplied = 1;
            while (offset < bytes.Length)
            {
                lineNumber++;
                var end = Array.IndexOf(bytes, (byte)'\n', offset);
                if (end < 0)
                {
                    if (!isActive)
                    {
                        throw new JournalDamageException(path, lineNumber, "ends in the middle of a line, in a journal that was sealed whole");
                    }

                    break;
                }

                var line = Parse(path, lineNumber, bytes.AsMemory(offset, end - offset));
                if (last is { } previous && line.Sequence != previous + 1)
                {
                    throw new JournalDamageException(path, lineNumber, $"has sequence number {line.Sequence} where {previous + 1} must follow: lines are missing or out of order");
                }

                last = line.Sequence;
                group.Add(line);
                offset = end + 1;
                if (!line.More)
                {
                    apply(group);
                    lastApplied = line.Sequence;
                    group.Clear();
                    appliedEnd = offset;
                    firstUnapplied = lineNumber + 1;
                }
            }

            if (!isActive && group.Count > 0)
            {
                throw new JournalDamageException(path, lineNumber, "ends in the middle of a change of several lines, in a journal that was sealed whole");
            }

            if (isActive)
            {
                state.ActiveLength = appliedEnd;
                if (appliedEnd < bytes.Length)
                {
                    state.DroppedTail = $"'{path}' from line {firstUnapplied} on ({bytes.Length - appliedEnd} bytes): a change a crash cut off while it was being written, never acknowledged";
                }
            }
        }

        state.LastSequence = lastApplied;
        state.NextSealNumber = JournalFiles.SealedFiles(snapshotPath).Select(file => file.Number).DefaultIfEmpty(0).Max() + 1;
        return state;
    }

    private static JournalLine Parse(string path, int lineNumber, ReadOnlyMemory<byte> text)
    {
        if (!JournalLineWriter.HasValidChecksum(text.Span))
        {
            throw new JournalDamageException(path, lineNumber, "does not match its checksum (or has none): it is damaged");
        }

        try
        {
            var reader = new Utf8JsonReader(text.Span);
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject && reader.Read() && reader.ValueTextEquals("seq"u8)
                && reader.Read() && reader.TryGetInt64(out var sequence) && sequence > 0)
            {
                // "more", when there, comes right after the sequence number (JournalLineWriter's callers write it so).
                var more = reader.Read() && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("more"u8)
                    && reader.Read() && reader.TokenType == JsonTokenType.True;
                return new JournalLine(path, lineNumber, sequence, more, text);
            }
        }
        catch (JsonException)
        {
        }

        throw new JournalDamageException(path, lineNumber, "is not a journal line: it must start with {\"seq\": <number>");
    }

    private static byte[] ReadAll(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new JournalDamageException(path, 0, $"cannot be read: {exception.Message}");
        }
    }
}
