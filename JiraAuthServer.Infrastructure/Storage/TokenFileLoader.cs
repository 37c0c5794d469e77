using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>
/// Reads the whole token file and refuses anything it cannot take in completely: a store that started empty or
/// partial over a damaged file would overwrite the grants on its first write. Parses the UTF-8 bytes in place
/// (mapped, never one big string), then, in parallel, keeps a template of the records this version would write
/// differently, so they go back out exactly as they came in.
/// </summary>
internal static class TokenFileLoader
{
    /// <exception cref="TokenStoreLoadException">The file exists but is not a complete, valid token file.</exception>
    public static List<KeyValuePair<long, StoredEntry>> Load(string path)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        }
        catch (FileNotFoundException)
        {
            return [];
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw Damaged(path, $"cannot be read: {exception.Message}", exception);
        }

        using (file)
        {
            if (file.Length == 0)
            {
                throw Damaged(path, "is empty (0 bytes); an empty store is the two characters {}");
            }

            if (file.Length > int.MaxValue)
            {
                throw Damaged(path, $"is {file.Length} bytes long; a token file of more than 2 GB cannot be loaded");
            }

            MappedFile mapped;
            try
            {
                mapped = MappedFile.Open(file);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw Damaged(path, $"cannot be read: {exception.Message}", exception);
            }

            using (mapped)
            {
                var bytes = mapped.Memory;
                var data = bytes.Span.StartsWith("\uFEFF"u8) ? bytes[3..] : bytes;
                var records = Parse(path, data.Span);
                return Entries(data, records);
            }
        }
    }

    private static List<ParsedRecord> Parse(string path, ReadOnlySpan<byte> data)
    {
        // Invalid bytes must stop the load, not turn into U+FFFD that the next write would make permanent.
        if (!Utf8.IsValid(data))
        {
            throw Damaged(path, $"is not UTF-8 text: the bytes at offset {FirstInvalidByte(data)} are not UTF-8");
        }

        if (data.Trim(" \t\r\n"u8).IsEmpty)
        {
            throw Damaged(path, "holds no JSON value");
        }

        var reader = new Utf8JsonReader(data, new JsonReaderOptions { MaxDepth = 512 });
        long? key = null;
        try
        {
            return ReadRecords(path, data, ref reader, ref key);
        }
        catch (JsonException exception)
        {
            var line = (exception.LineNumber ?? 0) + 1;
            var column = (exception.BytePositionInLine ?? 0) + 1;
            var where = key is null ? string.Empty : $" (in the record of user {key})";
            var message = exception.Message[..Math.Max(0, exception.Message.IndexOf(" LineNumber:", StringComparison.Ordinal))];
            var truncated = EndsAt(data, line, column) ? " before its end (truncated)" : string.Empty;
            throw Damaged(path, $"is not valid JSON at line {line}, column {column}{where}{truncated}: {message}", exception);
        }
    }

    private static List<ParsedRecord> ReadRecords(string path, ReadOnlySpan<byte> data, ref Utf8JsonReader reader, ref long? key)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            var (line, column) = Position(data, reader.TokenStartIndex);
            throw Damaged(path, $"has {GrantRecordReader.TypeName(ref reader)} at line {line}, column {column} where an object keyed by Telegram user id must start");
        }

        var records = new List<ParsedRecord>();
        var seen = new HashSet<long>();
        var recordReader = new GrantRecordReader();
        while (true)
        {
            if (!reader.Read())
            {
                var (endLine, endColumn) = Position(data, data.Length);
                throw Damaged(path, $"ends at line {endLine}, column {endColumn} before the closing brace (truncated)");
            }

            // Inside the outer object only a user id or its closing brace can come.
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            var keyStart = reader.TokenStartIndex;
            var text = reader.GetString()!;
            if (!Core.Grants.TelegramUserId.TryParse(text, out var userId))
            {
                var (line, column) = Position(data, keyStart);
                throw Damaged(path, $"has key \"{text}\" at line {line}, column {column}, which is not a Telegram user id (a positive whole number that fits in 64 bits)");
            }

            if (!seen.Add(userId))
            {
                var (line, column) = Position(data, keyStart);
                throw Damaged(path, $"has user {text} a second time at line {line}, column {column}");
            }

            key = userId;
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                var (line, column) = Position(data, keyStart);
                throw Damaged(path, $"has {GrantRecordReader.TypeName(ref reader)} for user {text} at line {line}, column {column} where the record object must start");
            }

            var start = checked((int)reader.TokenStartIndex);
            var grant = recordReader.TryRead(ref reader, data, out var access, out var refresh, out var problem);
            if (grant is null)
            {
                var (line, column) = Position(data, keyStart);
                throw Damaged(path, $"has a bad record for user {text} at line {line}, column {column}: it {problem}");
            }

            records.Add(new ParsedRecord(userId, grant, start, checked((int)reader.BytesConsumed) - start, access, refresh));
            key = null;
        }

        // Content after the closing brace makes the reader throw here, with its position.
        while (reader.Read())
        {
        }

        return records;
    }

    /// <summary>
    /// Per record, in parallel: written the way this version writes it, nothing more is kept; otherwise a template of
    /// its exact lines without the tokens.
    /// </summary>
    private static List<KeyValuePair<long, StoredEntry>> Entries(ReadOnlyMemory<byte> data, List<ParsedRecord> records)
    {
        var entries = new KeyValuePair<long, StoredEntry>[records.Count];
        Parallel.For(0, records.Count, () => new EntryBuffer(), (index, _, buffer) =>
        {
            var record = records[index];
            var text = data.Span.Slice(record.Start, record.Length);
            buffer.Clear();
            buffer.Ascii("  \""u8);
            buffer.Number(record.UserId);
            buffer.Ascii("\": "u8);
            var prefixLength = buffer.Length;
            RecordTemplate? template = null;
            if (record.Grant.UnknownFields.Count > 0 || !RendersAs(buffer, record, text))
            {
                buffer.Clear();
                buffer.Ascii("  \""u8);
                buffer.Number(record.UserId);
                buffer.Ascii("\": "u8);
                buffer.Ascii(text);
                template = RecordTemplate.Cut(buffer.Written, Shifted(record.Access, record.Start, prefixLength), Shifted(record.Refresh, record.Start, prefixLength));
            }

            entries[index] = KeyValuePair.Create(record.UserId, new StoredEntry(record.Grant, template));
            return buffer;
        }, _ => { });
        return [.. entries];
    }

    private static bool RendersAs(EntryBuffer buffer, ParsedRecord record, ReadOnlySpan<byte> text)
    {
        var prefixLength = buffer.Length;
        buffer.Clear();
        EntryWriter.Render(buffer, record.UserId, record.Grant);
        return buffer.Written[prefixLength..].SequenceEqual(text);
    }

    private static (int Start, int Length) Shifted(GrantRecordReader.TokenPlace place, int recordStart, int prefixLength) =>
        place.Start < 0 ? (-1, 0) : (place.Start - recordStart + prefixLength, place.Length);

    /// <summary>Line and column (1-based, columns in characters) of a byte offset, for messages.</summary>
    private static (int Line, int Column) Position(ReadOnlySpan<byte> data, long offset)
    {
        var before = data[..checked((int)offset)];
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        return (before.Count((byte)'\n') + 1, Encoding.UTF8.GetCharCount(before[lineStart..]) + 1);
    }

    private static bool EndsAt(ReadOnlySpan<byte> data, long line, long column)
    {
        var offset = 0;
        for (var i = 1; i < line; i++)
        {
            var next = data[offset..].IndexOf((byte)'\n');
            if (next < 0)
            {
                return false;
            }

            offset += next + 1;
        }

        offset = (int)Math.Min(data.Length, offset + column - 1);
        return data[offset..].Trim(" \t\r\n"u8).IsEmpty;
    }

    private static int FirstInvalidByte(ReadOnlySpan<byte> data)
    {
        var valid = 0;
        while (valid < data.Length && Rune.DecodeFromUtf8(data[valid..], out _, out var consumed) == System.Buffers.OperationStatus.Done)
        {
            valid += consumed;
        }

        return valid;
    }

    private static TokenStoreLoadException Damaged(string path, string problem, Exception? inner = null)
    {
        var message = $"Token file '{path}' {problem}. The file was left unchanged; restore or repair it (the server does not start over a damaged token file).";
        return inner is null ? new TokenStoreLoadException(message) : new TokenStoreLoadException(message, inner);
    }

    private sealed record ParsedRecord(long UserId, Core.Grants.StoredGrant Grant, int Start, int Length, GrantRecordReader.TokenPlace Access, GrantRecordReader.TokenPlace Refresh);
}
