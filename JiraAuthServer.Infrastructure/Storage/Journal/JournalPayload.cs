using System.Text.Json;

namespace JiraAuthServer.Infrastructure.Storage.Journal;

/// <summary>Reads one property of a journal line: the reader is on its name; false when the name is not the caller's.</summary>
internal delegate bool JournalPropertyReader(ref Utf8JsonReader reader, ReadOnlySpan<byte> line);

/// <summary>Walks the properties of a journal line for a store's payload reader.</summary>
internal static class JournalPayload
{
    /// <summary>
    /// Calls <paramref name="property"/> for every property of <paramref name="line"/>; the ones it does not take
    /// (the sequence number, <c>"more"</c>, the checksum, fields of a later version) are skipped.
    /// </summary>
    /// <exception cref="JournalDamageException">The line is not valid JSON, or <paramref name="property"/> refused a value.</exception>
    public static void Read(JournalLine line, JournalPropertyReader property)
    {
        var text = line.Text.Span;
        var reader = new Utf8JsonReader(text);
        try
        {
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!property(ref reader, text))
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException exception)
        {
            throw JournalDamageException.At(line, $"is not valid JSON: {exception.Message}");
        }
    }

    /// <summary>The string value after the property name the reader is on; null when it is not a string.</summary>
    public static string? String(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
    }
}
