using System.Runtime.CompilerServices;
using System.Text.Json;
using JiraAuthServer.Core.Grants;

namespace JiraAuthServer.Infrastructure.Storage.Fields;

/// <summary>How the timestamp fields read a value and what they say about one that is not a timestamp.</summary>
internal static class TimeValue
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static FieldRead Read(ref Utf8JsonReader reader, out DateTimeOffset time)
    {
        time = default;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return FieldRead.Null;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            return FieldRead.Invalid;
        }

        if (!reader.ValueIsEscaped && IsoTimeUtf8.TryParse(reader.ValueSpan, out time))
        {
            return FieldRead.Value;
        }

        if (IsoTime.TryParse(reader.GetString(), out var parsed))
        {
            time = parsed;
            return FieldRead.Value;
        }

        return FieldRead.Invalid;
    }

    public static string? Problem(string name, ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String ? $"has field '{name}' that is not a timestamp: \"{reader.GetString()}\"" : null;

    public static object ToDatabase(DateTimeOffset? time) => time is { } value ? ToMicroseconds(value) : DBNull.Value;

    /// <summary>The token file's precision (it writes six fraction digits), in UTC.</summary>
    public static DateTimeOffset ToMicroseconds(DateTimeOffset time)
    {
        var utc = time.UtcTicks;
        return new DateTimeOffset(utc - (utc % 10), TimeSpan.Zero);
    }
}
