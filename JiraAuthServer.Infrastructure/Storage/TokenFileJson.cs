using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>The JSON dialect of the token file: what Python's <c>json</c> module reads and writes.</summary>
internal static class TokenFileJson
{
    public static JsonTextReader CreateReader(TextReader text) => new(text)
    {
        // Timestamps stay the text they were, numbers stay numbers, so unknown fields survive a rewrite.
        DateParseHandling = DateParseHandling.None,
        FloatParseHandling = FloatParseHandling.Double,
    };

    /// <summary>Like <c>json.dump(indent=2)</c>: two-space indent, "\n" line ends, ASCII only (non-ASCII as \uXXXX).</summary>
    public static JsonTextWriter CreateWriter(StringWriter text, Formatting formatting = Formatting.Indented)
    {
        text.NewLine = "\n";
        return new JsonTextWriter(text)
        {
            Formatting = formatting,
            Indentation = 2,
            IndentChar = ' ',
            StringEscapeHandling = StringEscapeHandling.EscapeNonAscii,
            FloatFormatHandling = FloatFormatHandling.Symbol,
        };
    }

    public static string ToRaw(JToken value)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var writer = CreateWriter(text, Formatting.None))
        {
            value.WriteTo(writer);
        }

        return text.ToString();
    }

    public static void WriteRaw(JsonWriter writer, string name, string raw)
    {
        try
        {
            using var reader = CreateReader(new StringReader(raw));
            if (!reader.Read())
            {
                throw new ArgumentException($"Unknown field '{name}' holds no JSON value.", nameof(raw));
            }

            writer.WriteToken(reader);
            if (reader.Read())
            {
                throw new ArgumentException($"Unknown field '{name}' holds more than one JSON value.", nameof(raw));
            }
        }
        catch (JsonReaderException exception)
        {
            throw new ArgumentException($"Unknown field '{name}' is not valid JSON: {exception.Message}", nameof(raw), exception);
        }
    }
}
