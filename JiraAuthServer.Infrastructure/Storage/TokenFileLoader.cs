using System.Text;
using JiraAuthServer.Core.Grants;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>
/// Reads the whole token file and refuses anything it cannot take in completely: a store that started empty or
/// partial over a damaged file would overwrite the grants on its first write.
/// </summary>
internal static class TokenFileLoader
{
    // Invalid bytes must stop the load, not turn into U+FFFD that the next write would make permanent.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly JsonLoadSettings RecordSettings = new()
    {
        LineInfoHandling = LineInfoHandling.Ignore,
        DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error,
    };

    /// <exception cref="TokenStoreLoadException">The file exists but is not a complete, valid token file.</exception>
    public static List<KeyValuePair<long, StoredEntry>> Load(string path)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (FileNotFoundException)
        {
            return [];
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw Damaged(path, $"cannot be read: {exception.Message}", exception);
        }

        using (stream)
        {
            if (stream.Length == 0)
            {
                throw Damaged(path, "is empty (0 bytes); an empty store is the two characters {}");
            }

            using var text = new StreamReader(stream, StrictUtf8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
            using var reader = TokenFileJson.CreateReader(text);
            string? key = null;
            try
            {
                return ReadRecords(path, reader, ref key);
            }
            catch (JsonReaderException exception)
            {
                var where = key is null ? string.Empty : $" (in the record of user {key})";
                throw Damaged(path, $"is not valid JSON at line {exception.LineNumber}, column {exception.LinePosition}{where}: {exception.Message}", exception);
            }
            catch (Exception exception) when (exception is IOException or DecoderFallbackException)
            {
                throw Damaged(path, $"cannot be read: {exception.Message}", exception);
            }
        }
    }

    private static List<KeyValuePair<long, StoredEntry>> ReadRecords(string path, JsonTextReader reader, ref string? key)
    {
        if (!reader.Read())
        {
            throw Damaged(path, "holds no JSON value");
        }

        if (reader.TokenType != JsonToken.StartObject)
        {
            throw Damaged(path, $"has {reader.TokenType} at line {reader.LineNumber}, column {reader.LinePosition} where an object keyed by Telegram user id must start");
        }

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

            var record = JObject.Load(reader, RecordSettings);
            if (!GrantJsonMapper.TryRead(record, out var grant, out var problem))
            {
                throw Damaged(path, $"has a bad record for user {key} at line {line}, column {column}: it {problem}");
            }

            records.Add(new(userId, new StoredEntry(grant, GrantJsonMapper.SerializeEntry(userId, record))));
        }

        key = null;
        if (reader.Read())
        {
            throw Damaged(path, $"has more content after the closing brace, at line {reader.LineNumber}, column {reader.LinePosition}");
        }

        return records;
    }

    private static TokenStoreLoadException Damaged(string path, string problem, Exception? inner = null)
    {
        var message = $"Token file '{path}' {problem}. The file was left unchanged; restore or repair it (the server does not start over a damaged token file).";
        return inner is null ? new TokenStoreLoadException(message) : new TokenStoreLoadException(message, inner);
    }
}
