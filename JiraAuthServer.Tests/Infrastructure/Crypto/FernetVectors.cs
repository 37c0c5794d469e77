using System.Globalization;
using System.Text.Json;
using JiraAuthServer.Tests.Support;

namespace JiraAuthServer.Tests.Infrastructure.Crypto;

/// <summary>Reads the Fernet vector files in <c>../shared/fernet</c>.</summary>
internal static class FernetVectors
{
    public static IReadOnlyList<JsonElement> Load(string fileName)
    {
        string path = SharedFolder.PathTo("fernet", fileName);
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        return [.. document.RootElement.EnumerateArray().Select(element => element.Clone())];
    }

    public static string Text(this JsonElement vector, string name) =>
        vector.GetProperty(name).GetString() ?? throw new InvalidDataException($"{name} is null");

    /// <summary>The spec files spell <c>now</c> as ISO 8601 text, the Python files as unix seconds.</summary>
    public static DateTimeOffset Now(this JsonElement vector) =>
        !vector.TryGetProperty("now", out JsonElement now) ? DateTimeOffset.UtcNow
        : now.ValueKind == JsonValueKind.String ? DateTimeOffset.Parse(now.GetString()!, CultureInfo.InvariantCulture)
        : DateTimeOffset.FromUnixTimeSeconds(now.GetInt64());

    public static long? TtlSeconds(this JsonElement vector) =>
        vector.TryGetProperty("ttl_sec", out JsonElement ttl) && ttl.ValueKind == JsonValueKind.Number ? ttl.GetInt64() : null;

    public static byte[] Iv(this JsonElement vector) =>
        vector.TryGetProperty("iv_hex", out JsonElement hex)
            ? Convert.FromHexString(hex.GetString()!)
            : [.. vector.GetProperty("iv").EnumerateArray().Select(b => b.GetByte())];
}
