using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Infrastructure.Atlassian;

/// <summary>Lenient reading of Atlassian's JSON: a field of the wrong type counts as absent.</summary>
internal static class AtlassianJson
{
    public static JToken? TryParse(byte[] body)
    {
        try
        {
            using var text = new StreamReader(new MemoryStream(body), System.Text.Encoding.UTF8);
            using var reader = new JsonTextReader(text) { DateParseHandling = DateParseHandling.None, MaxDepth = 32 };
            var token = JToken.ReadFrom(reader);
            return reader.Read() ? null : token;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string? String(JToken? container, string name)
    {
        var value = container is JObject obj ? obj[name] : null;
        return value is { Type: JTokenType.String } && value.Value<string>() is { Length: > 0 } text ? text : null;
    }

    public static long? PositiveInteger(JToken? container, string name)
    {
        var value = container is JObject obj ? obj[name] : null;
        return value?.Type switch
        {
            JTokenType.Integer when value.Value<long>() > 0 => value.Value<long>(),
            JTokenType.Float when value.Value<double>() is >= 1 and < long.MaxValue => (long)value.Value<double>(),
            _ => null,
        };
    }

    public static IReadOnlyList<string> Strings(JToken? container, string name)
    {
        var value = container is JObject obj ? obj[name] : null;
        return value is JArray array
            ? array.Where(item => item.Type == JTokenType.String).Select(item => item.Value<string>()!).ToList()
            : [];
    }
}
