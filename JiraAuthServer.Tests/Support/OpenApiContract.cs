using System.Net.Http.Headers;
using System.Text.Json;
using Json.Schema;
using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Tests.Support;

/// <summary>
/// The server's own OpenAPI document as a contract an answer is checked against, as an OpenAPI-validating proxy
/// would: the operation must exist, list the status, list the content type, and its schema must accept the body.
/// Schemas are OpenAPI 3.0 (<c>nullable</c>, <c>#/components/schemas</c>); they are turned into JSON Schema 2020-12
/// and evaluated with JsonSchema.Net.
/// </summary>
internal sealed class OpenApiContract(JObject document)
{
    private const string ComponentsPrefix = "#/components/schemas/";

    private readonly JObject definitions = (JObject)Convert(document.SelectToken("components.schemas") ?? new JObject());

    public static async Task<OpenApiContract> LoadAsync(HttpClient client)
    {
        var text = await client.GetStringAsync(new Uri("/swagger/v1/swagger.json", UriKind.Relative));
        return new OpenApiContract(JObject.Parse(text));
    }

    /// <summary>What the document does not describe about this answer; empty when it describes all of it.</summary>
    public IReadOnlyList<string> Problems(HttpMethod method, string path, int status, MediaTypeHeaderValue? contentType, string body)
    {
        if (PathTemplate(path) is not { } template)
        {
            return [$"{path} is not in the document"];
        }

        if (document["paths"]![template]![method.Method.ToLowerInvariant()] is not JObject operation)
        {
            return [$"{method} {template} is not in the document"];
        }

        var where = $"{method} {template} {status}";
        if ((operation["responses"]?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] ?? operation["responses"]?["default"]) is not JObject response)
        {
            return [$"{where}: the status is not documented"];
        }

        var content = response["content"] as JObject;
        if (contentType is null)
        {
            return body.Length == 0 ? [] : [$"{where}: a body without a content type"];
        }

        if (content?[contentType.MediaType!] is not JObject media)
        {
            if (content?["*/*"] is JObject)
            {
                return []; // documented as any body: another server's answer passed on (a Jira call)
            }

            return [$"{where}: content type {contentType.MediaType} is not documented (documented: {string.Join(", ", content?.Properties().Select(p => p.Name) ?? [])})"];
        }

        if (contentType.MediaType != "application/json")
        {
            return [];
        }

        return media["schema"] is JObject schema ? Evaluate(where, schema, body) : [$"{where}: no schema for the JSON body"];
    }

    private List<string> Evaluate(string where, JObject schema, string body)
    {
        var root = (JObject)Convert(schema);
        root["$defs"] = definitions;
        var built = JsonSchema.FromText(root.ToString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() }, new Uri($"urn:uuid:{Guid.NewGuid()}"));
        using var instance = JsonDocument.Parse(body);
        var results = built.Evaluate(instance.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return [];
        }

        return [.. (results.Details ?? [])
            .Where(detail => detail.Errors is { Count: > 0 })
            .SelectMany(detail => detail.Errors!.Select(error => $"{where}: body {detail.InstanceLocation}: {error.Value} ({body})"))
            .DefaultIfEmpty($"{where}: the body does not match its schema ({body})")];
    }

    /// <summary>
    /// The document's template for <paramref name="path"/>. A trailing <c>{path}</c> is a catch-all route
    /// (<c>{**path}</c>, which OpenAPI cannot spell): it takes every remaining segment.
    /// </summary>
    private string? PathTemplate(string path)
    {
        const string CatchAll = "{path}";
        var segments = path.Trim('/').Split('/');
        return ((JObject)document["paths"]!).Properties().Select(p => p.Name).FirstOrDefault(template =>
        {
            var parts = template.Trim('/').Split('/');
            var catchAll = parts[^1] == CatchAll;
            return (parts.Length == segments.Length || (catchAll && segments.Length > parts.Length))
                && parts.Zip(segments).All(pair => (pair.First.StartsWith('{') && pair.First.EndsWith('}')) || pair.First == pair.Second);
        });
    }

    /// <summary>OpenAPI 3.0 schema to JSON Schema 2020-12: <c>nullable</c> becomes a <c>null</c> type, references point into <c>$defs</c>.</summary>
    private static JToken Convert(JToken node)
    {
        switch (node)
        {
            case JObject schema:
                var converted = new JObject();
                foreach (var property in schema.Properties())
                {
                    converted[property.Name] = property.Name switch
                    {
                        "$ref" => property.Value.ToString().Replace(ComponentsPrefix, "#/$defs/", StringComparison.Ordinal),
                        _ => Convert(property.Value),
                    };
                }

                if (converted.Remove("nullable") && schema.Value<bool>("nullable") && converted["type"] is JValue type)
                {
                    converted["type"] = new JArray(type.Value<string>()!, "null");
                }

                return converted;
            case JArray items:
                return new JArray(items.Select(Convert));
            default:
                return node.DeepClone();
        }
    }
}
