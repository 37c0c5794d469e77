using System.Globalization;
using System.Text.Json;
using JiraAuthServer.Core.Authorization;

namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>
/// The pending-states file: <c>{"version":1,"states":[{"sha256":..,"telegram_user_id":..,"expires_at":..}]}</c>.
/// States are kept as SHA-256 digests, so whoever reads the file learns no link that could still be completed.
/// </summary>
internal static class AuthStateFile
{
    private const int Version = 1;

    public static void Write(Stream stream, IEnumerable<KeyValuePair<string, PendingAuthorization>> states)
    {
        using var json = new Utf8JsonWriter(stream);
        json.WriteStartObject();
        json.WriteNumber("version", Version);
        json.WriteStartArray("states");
        foreach (var (digest, pending) in states)
        {
            json.WriteStartObject();
            json.WriteString("sha256", digest);
            json.WriteNumber("telegram_user_id", pending.TelegramUserId);
            json.WriteString("expires_at", pending.ExpiresAt.ToString("O", CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The states in <paramref name="path"/>, keyed by digest; a missing file holds none.</summary>
    /// <exception cref="InvalidDataException">The file is not a pending-states file this version can read.</exception>
    public static Dictionary<string, PendingAuthorization> Read(string path)
    {
        var states = new Dictionary<string, PendingAuthorization>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return states;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            if (root.GetProperty("version").GetInt32() != Version)
            {
                throw new InvalidDataException("unknown version");
            }

            foreach (var item in root.GetProperty("states").EnumerateArray())
            {
                var digest = item.GetProperty("sha256").GetString() ?? throw new InvalidDataException("a state without digest");
                var expiresAt = DateTimeOffset.Parse(item.GetProperty("expires_at").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
                // Only the digest is known after a restart; the state itself is what the browser brings back.
                states[digest] = new PendingAuthorization(string.Empty, item.GetProperty("telegram_user_id").GetInt64(), expiresAt);
            }

            return states;
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentNullException)
        {
            throw new InvalidDataException(exception.GetType().Name, exception);
        }
    }
}
