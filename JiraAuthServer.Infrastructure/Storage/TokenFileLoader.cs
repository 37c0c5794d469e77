using System.Text;
using JiraAuthServer.Core.Grants;
using Newtonsoft.Json;

namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>
/// Reads the whole token file and refuses anything it cannot take in completely: a store that started empty or
/// partial over a damaged file would overwrite the grants on its first write. Each record keeps its original text, so
/// records this version never changes go back out exactly as they came in.
/// </summary>
internal static class TokenFileLoader
{
    // Invalid bytes must stop the load, not turn into U+FFFD that the next write would make permanent.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <exception cref="TokenStoreLoadException">The file exists but is not a complete, valid token file.</exception>
    public static List<KeyValuePair<long, StoredEntry>> Load(string path)
    {
        string text;
        try
        {
            var bytes = File.ReadAllBytes(path);
            if (bytes.Length == 0)
            {
                throw Damaged(path, "is empty (0 bytes); an empty store is the two characters {}");
            }

            var byteOrderMark = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
            text = StrictUtf8.GetString(bytes, byteOrderMark, bytes.Length - byteOrderMark);
        }
        catch (FileNotFoundException)
        {
            return [];
        }
        catch (DecoderFallbackException exception)
        {
            throw Damaged(path, $"is not UTF-8 text: {exception.Message}", exception);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw Damaged(path, $"cannot be read: {exception.Message}", exception);
        }

        using var reader = TokenFileJson.CreateReader(new StringReader(text));
        string? key = null;
        try
        {
            return ReadRecords(path, text, reader, ref key);
        }
        catch (JsonReaderException exception)
        {
            var where = key is null ? string.Empty : $" (in the record of user {key})";
            throw Damaged(path, $"is not valid JSON at line {exception.LineNumber}, column {exception.LinePosition}{where}: {exception.Message}", exception);
        }
    }

    private static List<KeyValuePair<long, StoredEntry>> ReadRecords(string path, string text, JsonTextReader reader, ref string? key)
    {
        if (!reader.Read())
        {
            throw Damaged(path, "holds no JSON value");
        }

        if (reader.TokenType != JsonToken.StartObject)
        {
            throw Damaged(path, $"has {reader.TokenType} at line {reader.LineNumber}, column {reader.LinePosition} where an object keyed by Telegram user id must start");
        }

        var lineStarts = LineStarts(text);
        var records = new List<KeyValuePair<long, StoredEntry>>();
        var seen = new HashSet<long>();
        while (true)
        {
            if (!reader.Read())
            {
                throw Damaged(path, $"ends at line {reader.LineNumber}, column {reader.LinePosition} before the closing brace (truncated)");
            }

            if (reader.TokenType == JsonToken.EndObject)
            {
                break;
            }

            if (reader.TokenType != JsonToken.PropertyName)
            {
                throw Damaged(path, $"has {reader.TokenType} at line {reader.LineNumber}, column {reader.LinePosition} where a user id or the closing brace must come");
            }

            key = (string)reader.Value!;
            var (line, column) = (reader.LineNumber, reader.LinePosition);
            if (!TelegramUserId.TryParse(key, out var userId))
            {
                throw Damaged(path, $"has key \"{key}\" at line {line}, column {column}, which is not a Telegram user id (a positive whole number that fits in 64 bits)");
            }

            if (!seen.Add(userId))
            {
                throw Damaged(path, $"has user {key} a second time at line {line}, column {column}");
            }

            if (!reader.Read() || reader.TokenType != JsonToken.StartObject)
            {
                throw Damaged(path, $"has {reader.TokenType} for user {key} at line {line}, column {column} where the record object must start");
            }

            // The reader's position is one past the token it just read: the opening brace here, the closing one below.
            var start = Offset(lineStarts, reader) - 1;
            if (!GrantJsonMapper.TryRead(reader, out var grant, out var problem))
            {
                throw Damaged(path, $"has a bad record for user {key} at line {line}, column {column}: it {problem}");
            }

            var json = GrantJsonMapper.EntryFromText(userId, text.AsSpan(start, Offset(lineStarts, reader) - start));
            records.Add(new(userId, new StoredEntry(grant, json)));
        }

        key = null;
        if (reader.Read())
        {
            throw Damaged(path, $"has more content after the closing brace, at line {reader.LineNumber}, column {reader.LinePosition}");
        }

        return records;
    }

    private static int Offset(List<int> lineStarts, JsonTextReader reader) => lineStarts[reader.LineNumber - 1] + reader.LinePosition;

    /// <summary>Where each line starts, counted as the JSON reader counts them: after "\n", "\r\n" or a lone "\r".</summary>
    private static List<int> LineStarts(string text)
    {
        var starts = new List<int> { 0 };
        var position = 0;
        while (true)
        {
            var found = text.AsSpan(position).IndexOfAny('\r', '\n');
            if (found < 0)
            {
                return starts;
            }

            position += found + 1;
            if (text[position - 1] == '\r' && position < text.Length && text[position] == '\n')
            {
                position++;
            }

            starts.Add(position);
        }
    }

    private static TokenStoreLoadException Damaged(string path, string problem, Exception? inner = null)
    {
        var message = $"Token file '{path}' {problem}. The file was left unchanged; restore or repair it (the server does not start over a damaged token file).";
        return inner is null ? new TokenStoreLoadException(message) : new TokenStoreLoadException(message, inner);
    }
}
