using System.Runtime.CompilerServices;
using System.Text.Json;
using JiraAuthServer.Core.Grants;
using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>
/// Reads one record of the token file straight from its UTF-8 bytes into a <see cref="StoredGrant"/>, noting where
/// its token values are so a <see cref="RecordTemplate"/> can leave them out. A repeated field counts once, the last
/// one, as in Python.
/// </summary>
internal sealed class GrantRecordReader
{
    // Values most grants share (one site, one scope list) are kept once instead of once per user: each shared field
    // remembers its last value and reuses it when the next record has the same bytes.
    private readonly (byte[]? Utf8, string Text)[] lastShared = new (byte[]?, string)[(int)Field.JiraSites + 1];

    // Likewise the site list: most users of one installation reach the same sites.
    private (byte[]? Utf8, IReadOnlyList<JiraSite>? Sites) lastSites;

    /// <summary>Where a token's value is in the file (-1: it cannot be cut out, e.g. it is not base64).</summary>
    public readonly record struct TokenPlace(int Start, int Length)
    {
        public static TokenPlace None => new(-1, 0);
    }

    // The methods marked AggressiveOptimization run once per record while 100,000 records load at start-up:
    // compiled optimized at once, they do not spend that start-up in unoptimized code waiting for tiering.
    /// <summary>
    /// Reads the record whose opening brace <paramref name="reader"/> is on, up to its closing brace.
    /// <paramref name="problem"/> says what is wrong with it, phrased to follow "it".
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public StoredGrant? TryRead(ref Utf8JsonReader reader, ReadOnlySpan<byte> file, out TokenPlace accessPlace, out TokenPlace refreshPlace, out string problem)
    {
        accessPlace = refreshPlace = TokenPlace.None;
        SealedText? access = null, refresh = null;
        string? tokenType = null, scope = null, accountId = null, email = null, cloudId = null, siteUrl = null, siteName = null;
        DateTimeOffset? expiresAt = null, createdAt = null, updatedAt = null, reauthorizationRequiredAt = null;
        IReadOnlyList<JiraSite>? sites = null;
        Dictionary<string, string>? unknown = null;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = Fields.Of(ref reader, out var unknownName);
            reader.Read();
            var understood = field switch
            {
                Field.AccessToken => TryToken(ref reader, out access, out accessPlace),
                Field.RefreshToken => TryToken(ref reader, out refresh, out refreshPlace),
                Field.ExpiresAt => TryTime(ref reader, out expiresAt),
                Field.TokenType => TryShared(ref reader, Field.TokenType, out tokenType),
                Field.Scope => TryShared(ref reader, Field.Scope, out scope),
                Field.CreatedAt => TryTime(ref reader, out createdAt),
                Field.UpdatedAt => TryTime(ref reader, out updatedAt),
                Field.JiraAccountId => TryText(ref reader, out accountId),
                Field.JiraEmail => TryText(ref reader, out email),
                Field.JiraCloudId => TryShared(ref reader, Field.JiraCloudId, out cloudId),
                Field.JiraSiteUrl => TryShared(ref reader, Field.JiraSiteUrl, out siteUrl),
                Field.JiraSiteName => TryShared(ref reader, Field.JiraSiteName, out siteName),
                Field.ReauthorizationRequiredAt => TryTime(ref reader, out reauthorizationRequiredAt),
                Field.JiraSites => TrySites(ref reader, file, out sites),
                _ => AddUnknown(ref unknown, unknownName!, ref reader, file),
            };
            if (!understood)
            {
                var name = unknownName ?? Fields.NameOf(field);
                problem = field == Field.JiraSites ? $"has field '{name}' that is not a list of sites ({JiraSiteListJson.Shape})"
                    : reader.TokenType == JsonTokenType.String
                    ? $"has field '{name}' that is not a timestamp: \"{reader.GetString()}\""
                    : $"has field '{name}' of JSON type {TypeName(ref reader)}, expected a string";
                return null;
            }
        }

        problem = reader.TokenType != JsonTokenType.EndObject ? $"has {TypeName(ref reader)} where a field name must come"
            : access is null ? $"has no {GrantJsonMapper.AccessToken}"
            : refresh is null ? $"has no {GrantJsonMapper.RefreshToken}"
            : expiresAt is null ? $"has no {GrantJsonMapper.ExpiresAt}"
            : string.Empty;
        if (problem.Length > 0)
        {
            return null;
        }

        var grant = new StoredGrant(access!.Value, refresh!.Value, expiresAt!.Value)
        {
            TokenType = tokenType ?? "Bearer",
            Scope = scope ?? string.Empty,
            CreatedAt = createdAt,
            UpdatedAt = updatedAt,
            JiraAccountId = accountId,
            JiraEmail = email,
            JiraCloudId = cloudId,
            JiraSiteUrl = siteUrl,
            JiraSiteName = siteName,
            ReauthorizationRequiredAt = reauthorizationRequiredAt,
            JiraSites = sites,
        };
        return unknown is null ? grant : grant with { UnknownFields = unknown };
    }

    /// <summary>Newtonsoft's names for JSON types, which the messages of earlier versions used.</summary>
    public static string TypeName(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number => reader.ValueSpan.IndexOfAny(".eE"u8) >= 0 ? "Float" : "Integer",
        JsonTokenType.True or JsonTokenType.False => "Boolean",
        var other => other.ToString(),
    };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryToken(ref Utf8JsonReader reader, out SealedText? token, out TokenPlace place)
    {
        token = null;
        place = TokenPlace.None;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        if (reader.ValueIsEscaped)
        {
            token = SealedText.From(reader.GetString());
            return true;
        }

        var value = SealedText.FromUtf8(reader.ValueSpan);
        token = value;
        if (value.IsBase64)
        {
            place = new TokenPlace(checked((int)reader.TokenStartIndex + 1), reader.ValueSpan.Length);
        }

        return true;
    }

    private static bool TryText(ref Utf8JsonReader reader, out string? text)
    {
        text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return reader.TokenType is JsonTokenType.String or JsonTokenType.Null;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryShared(ref Utf8JsonReader reader, Field field, out string? text)
    {
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
        {
            return TryText(ref reader, out text);
        }

        ref var last = ref lastShared[(int)field];
        if (last.Utf8 is null || !reader.ValueSpan.SequenceEqual(last.Utf8))
        {
            last = (reader.ValueSpan.ToArray(), reader.GetString()!);
        }

        text = last.Text;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryTime(ref Utf8JsonReader reader, out DateTimeOffset? time)
    {
        time = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        if (!reader.ValueIsEscaped && IsoTimeUtf8.TryParse(reader.ValueSpan, out var quick))
        {
            time = quick;
            return true;
        }

        if (IsoTime.TryParse(reader.GetString(), out var parsed))
        {
            time = parsed;
            return true;
        }

        return false;
    }

    /// <summary>Read by <see cref="JiraSiteListJson"/> from the value's text; the same text as the last record's gives the same list.</summary>
    private bool TrySites(ref Utf8JsonReader reader, ReadOnlySpan<byte> file, out IReadOnlyList<JiraSite>? sites)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            sites = null;
            return true;
        }

        var start = checked((int)reader.TokenStartIndex);
        if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
        {
            reader.Skip();
        }

        var value = file[start..checked((int)reader.BytesConsumed)];
        if (lastSites.Utf8 is not null && value.SequenceEqual(lastSites.Utf8))
        {
            sites = lastSites.Sites;
            return true;
        }

        using var text = TokenFileJson.CreateReader(new StringReader(System.Text.Encoding.UTF8.GetString(value)));
        text.Read();
        if (!JiraSiteListJson.TryRead(text, out sites))
        {
            return false;
        }

        lastSites = (value.ToArray(), sites);
        return true;
    }

    /// <summary>Kept as compact JSON text, written the way the file writes it (non-ASCII escaped).</summary>
    private static bool AddUnknown(ref Dictionary<string, string>? unknown, string name, ref Utf8JsonReader reader, ReadOnlySpan<byte> file)
    {
        var start = checked((int)reader.TokenStartIndex);
        reader.Skip();
        var raw = System.Text.Encoding.UTF8.GetString(file[start..checked((int)reader.BytesConsumed)]);
        using var text = TokenFileJson.CreateReader(new StringReader(raw));
        unknown ??= [];
        unknown[name] = TokenFileJson.ToRaw(JToken.ReadFrom(text));
        return true;
    }

    private enum Field
    {
        Unknown,
        AccessToken,
        RefreshToken,
        ExpiresAt,
        TokenType,
        Scope,
        CreatedAt,
        UpdatedAt,
        JiraAccountId,
        JiraEmail,
        JiraCloudId,
        JiraSiteUrl,
        JiraSiteName,
        ReauthorizationRequiredAt,
        JiraSites,
    }

    private static class Fields
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static Field Of(ref Utf8JsonReader reader, out string? unknownName)
        {
            unknownName = null;
            var field =
                reader.ValueTextEquals("access_token"u8) ? Field.AccessToken
                : reader.ValueTextEquals("refresh_token"u8) ? Field.RefreshToken
                : reader.ValueTextEquals("expires_at"u8) ? Field.ExpiresAt
                : reader.ValueTextEquals("token_type"u8) ? Field.TokenType
                : reader.ValueTextEquals("scope"u8) ? Field.Scope
                : reader.ValueTextEquals("created_at"u8) ? Field.CreatedAt
                : reader.ValueTextEquals("updated_at"u8) ? Field.UpdatedAt
                : reader.ValueTextEquals("jira_account_id"u8) ? Field.JiraAccountId
                : reader.ValueTextEquals("jira_email"u8) ? Field.JiraEmail
                : reader.ValueTextEquals("jira_cloud_id"u8) ? Field.JiraCloudId
                : reader.ValueTextEquals("jira_site_url"u8) ? Field.JiraSiteUrl
                : reader.ValueTextEquals("jira_site_name"u8) ? Field.JiraSiteName
                : reader.ValueTextEquals("reauthorization_required_at"u8) ? Field.ReauthorizationRequiredAt
                : reader.ValueTextEquals("jira_sites"u8) ? Field.JiraSites
                : Field.Unknown;
            if (field == Field.Unknown)
            {
                unknownName = reader.GetString();
            }

            return field;
        }

        public static string NameOf(Field field) => field switch
        {
            Field.AccessToken => GrantJsonMapper.AccessToken,
            Field.RefreshToken => GrantJsonMapper.RefreshToken,
            Field.ExpiresAt => GrantJsonMapper.ExpiresAt,
            Field.TokenType => GrantJsonMapper.TokenType,
            Field.Scope => GrantJsonMapper.Scope,
            Field.CreatedAt => GrantJsonMapper.CreatedAt,
            Field.UpdatedAt => GrantJsonMapper.UpdatedAt,
            Field.JiraAccountId => GrantJsonMapper.JiraAccountId,
            Field.JiraEmail => GrantJsonMapper.JiraEmail,
            Field.JiraCloudId => GrantJsonMapper.JiraCloudId,
            Field.JiraSiteUrl => GrantJsonMapper.JiraSiteUrl,
            Field.JiraSiteName => GrantJsonMapper.JiraSiteName,
            Field.ReauthorizationRequiredAt => GrantJsonMapper.ReauthorizationRequiredAt,
            _ => GrantJsonMapper.JiraSites,
        };
    }
}
