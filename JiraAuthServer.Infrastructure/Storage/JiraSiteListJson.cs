using System.Diagnostics.CodeAnalysis;
using JiraAuthServer.Core.Grants;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>
/// The <c>jira_sites</c> field of a record: every site the user could reach, as accessible-resources listed them.
/// Fields of a site this version does not know are not kept (the list is replaced whole on each authorization).
/// </summary>
internal static class JiraSiteListJson
{
    public const string Shape = "[{\"id\", \"url\", \"name\", \"scopes\": [...]}]";

    private const string Id = "id";
    private const string Url = "url";
    private const string Name = "name";
    private const string Scopes = "scopes";

    /// <summary>Reads the value <paramref name="reader"/> is on; null JSON reads as no list.</summary>
    public static bool TryRead(JsonReader reader, out IReadOnlyList<JiraSite>? sites)
    {
        sites = null;
        var value = JToken.ReadFrom(reader);
        if (value.Type == JTokenType.Null)
        {
            return true;
        }

        if (value is not JArray array)
        {
            return false;
        }

        var list = new List<JiraSite>(array.Count);
        foreach (var item in array)
        {
            if (!TryReadSite(item, out var site))
            {
                return false;
            }

            list.Add(site);
        }

        sites = list;
        return true;
    }

    /// <summary>Reads a list from its JSON text; null JSON reads as no list.</summary>
    public static bool TryRead(string json, out IReadOnlyList<JiraSite>? sites)
    {
        try
        {
            using var text = TokenFileJson.CreateReader(new StringReader(json));
            text.Read();
            return TryRead(text, out sites);
        }
        catch (JsonReaderException)
        {
            sites = null;
            return false;
        }
    }

    /// <summary>The list as compact JSON text.</summary>
    public static string ToText(IReadOnlyList<JiraSite> sites)
    {
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        using (var writer = TokenFileJson.CreateWriter(text, Formatting.None))
        {
            Write(writer, sites);
        }

        return text.ToString();
    }

    public static void Write(JsonWriter writer, IReadOnlyList<JiraSite> sites)
    {
        writer.WriteStartArray();
        foreach (var site in sites)
        {
            writer.WriteStartObject();
            writer.WritePropertyName(Id);
            writer.WriteValue(site.CloudId);
            writer.WritePropertyName(Url);
            writer.WriteValue(site.Url);
            writer.WritePropertyName(Name);
            writer.WriteValue(site.Name);
            writer.WritePropertyName(Scopes);
            writer.WriteStartArray();
            foreach (var scope in site.Scopes)
            {
                writer.WriteValue(scope);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static bool TryReadSite(JToken item, [NotNullWhen(true)] out JiraSite? site)
    {
        site = null;
        if (item is not JObject entry
            || entry[Id] is not { Type: JTokenType.String } id
            || entry[Url] is not { Type: JTokenType.String } url
            || entry[Name] is { Type: not (JTokenType.String or JTokenType.Null) }
            || entry[Scopes] is { Type: not (JTokenType.Array or JTokenType.Null) })
        {
            return false;
        }

        var scopes = entry[Scopes] as JArray ?? [];
        if (scopes.Any(scope => scope.Type != JTokenType.String))
        {
            return false;
        }

        site = new JiraSite((string)id!, (string)url!, (string?)entry[Name] ?? string.Empty, [.. scopes.Select(scope => (string)scope!)]);
        return true;
    }
}
