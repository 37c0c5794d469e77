using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Unicode;
using System.Text;

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
    public static IReadOnlyList<KeyValuePair<long, StoredEntry>> Load(string path)
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
                return Entries(path, data, records);
            }
        }
    }

    private static List<RecordSpan> Parse(string path, ReadOnlySpan<byte> data)
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
            var message = exception.Message[..Math.Max(0, exception.Message.IndexOf(" LineNumber:", StringComparison.Ordinal))].TrimEnd().TrimEnd('.');
            var truncated = EndsAt(data, line, column) ? " before its end (truncated)" : string.Empty;
            throw Damaged(path, $"is not valid JSON at line {line}, column {column}{where}{truncated}: {message}", exception);
        }
    }

    // The methods marked AggressiveOptimization run once per record while 100,000 records load at start-up:
    // compiled optimized at once, they do not spend that start-up in unoptimized code waiting for tiering.
    /// <summary>
    /// The outer object, one pass: each user id, checked, and where its record is (skipped over, which still checks
    /// it is well-formed JSON). The records themselves are read afterwards, in parallel.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static List<RecordSpan> ReadRecords(string path, ReadOnlySpan<byte> data, ref Utf8JsonReader reader, ref long? key)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            var (line, column) = Position(data, reader.TokenStartIndex);
            throw Damaged(path, $"has {GrantRecordReader.TypeName(ref reader)} at line {line}, column {column} where an object keyed by Telegram user id must start");
        }

        var records = new List<RecordSpan>();
        var seen = new HashSet<long>();
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

            var keyStart = checked((int)reader.TokenStartIndex);
            if (!TryUserId(ref reader, out var userId))
            {
                var (line, column) = Position(data, keyStart);
                throw Damaged(path, $"has key \"{reader.GetString()}\" at line {line}, column {column}, which is not a Telegram user id (a positive whole number that fits in 64 bits)");
            }

            if (!seen.Add(userId))
            {
                var (line, column) = Position(data, keyStart);
                throw Damaged(path, $"has user {reader.GetString()} a second time at line {line}, column {column}");
            }

            key = userId;
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                var (line, column) = Position(data, keyStart);
                throw Damaged(path, $"has {GrantRecordReader.TypeName(ref reader)} for user {userId} at line {line}, column {column} where the record object must start");
            }

            var start = checked((int)reader.TokenStartIndex);
            reader.Skip();
            records.Add(new RecordSpan(userId, keyStart, start, checked((int)reader.BytesConsumed) - start));
            key = null;
        }

        // Content after the closing brace makes the reader throw here, with its position.
        while (reader.Read())
        {
        }

        return records;
    }

    /// <summary>
    /// Per record, in parallel: read into a grant; if this version writes it exactly as it is, nothing more is kept,
    /// otherwise a template of its exact lines without the tokens. The first bad record (in file order) is reported.
    /// </summary>
    private static KeyValuePair<long, StoredEntry>[] Entries(string path, ReadOnlyMemory<byte> data, List<RecordSpan> records)
    {
        var entries = new KeyValuePair<long, StoredEntry>[records.Count];
        var problems = new string?[records.Count];
        Parallel.For(0, records.Count, () => (Buffer: new EntryBuffer(), Reader: new GrantRecordReader()), (index, _, local) =>
        {
            var record = records[index];
            var text = data.Span.Slice(record.Start, record.Length);
            var reader = new Utf8JsonReader(text, new JsonReaderOptions { MaxDepth = 512 });
            reader.Read();
            var grant = local.Reader.TryRead(ref reader, text, out var problem);
            if (grant is null)
            {
                problems[index] = problem;
                return local;
            }

            var buffer = local.Buffer;
            RecordTemplate? template = null;
            if (grant.UnknownFields.Count > 0 || !RendersAs(buffer, record.UserId, grant, text))
            {
                buffer.Clear();
                buffer.Ascii("  \""u8);
                buffer.Number(record.UserId);
                buffer.Ascii("\": "u8);
                var prefixLength = buffer.Length;
                buffer.Ascii(text);
                template = RecordTemplate.Cut(buffer.Written, Shifted(local.Reader.AccessPlace, prefixLength), Shifted(local.Reader.RefreshPlace, prefixLength));
            }

            entries[index] = KeyValuePair.Create(record.UserId, new StoredEntry(grant, template));
            return local;
        }, _ => { });

        var bad = Array.FindIndex(problems, problem => problem is not null);
        if (bad >= 0)
        {
            var (line, column) = Position(data.Span, records[bad].KeyStart);
            throw Damaged(path, $"has a bad record for user {records[bad].UserId} at line {line}, column {column}: it {problems[bad]}");
        }

        return entries;
    }

    /// <summary>As <see cref="Core.Grants.TelegramUserId.TryParse"/> reads it, from the bytes when they are plain digits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryUserId(ref Utf8JsonReader reader, out long userId)
    {
        var digits = reader.ValueSpan;
        if (reader.ValueIsEscaped || digits.Length is 0 or > 19 || digits.ContainsAnyExceptInRange((byte)'0', (byte)'9'))
        {
            return Core.Grants.TelegramUserId.TryParse(reader.GetString(), out userId);
        }

        return System.Buffers.Text.Utf8Parser.TryParse(digits, out userId, out var consumed) && consumed == digits.Length && userId > 0;
    }

    /// <summary>Whether this version writes the record exactly as <paramref name="text"/> (its object, without the key).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool RendersAs(EntryBuffer buffer, long userId, Core.Grants.StoredGrant grant, ReadOnlySpan<byte> text)
    {
        buffer.Clear();
        EntryWriter.Render(buffer, userId, grant);

        // The rendered lines start with the key, `  "id": `, which holds no brace: the object starts at the first one.
        var written = buffer.Written;
        return written[written.IndexOf((byte)'{')..].SequenceEqual(text);
    }

    private static (int Start, int Length) Shifted(Fields.TokenPlace place, int prefixLength) =>
        place.Start < 0 ? (-1, 0) : (place.Start + prefixLength, place.Length);

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

    private readonly record struct RecordSpan(long UserId, int KeyStart, int Start, int Length);
}
