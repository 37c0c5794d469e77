using System.Runtime.CompilerServices;
using JiraAuthServer.Core.Grants;

namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>
/// A record's lines in the token file, <c>  "id": {...}</c>, as Python's <c>json.dump(indent=2)</c> lays them out:
/// written from the grant, or from its <see cref="RecordTemplate"/> with the tokens put back.
/// </summary>
internal static class EntryWriter
{
    // The methods marked AggressiveOptimization run once per record while 100,000 records load at start-up:
    // compiled optimized at once, they do not spend that start-up in unoptimized code waiting for tiering.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Write(EntryBuffer buffer, long telegramUserId, StoredEntry entry)
    {
        if (entry.Template is { } template)
        {
            WriteTemplate(buffer, template, entry.Grant);
        }
        else
        {
            Render(buffer, telegramUserId, entry.Grant);
        }
    }

    /// <summary>The lines for a grant without unknown fields; byte for byte what the Newtonsoft writer makes of it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Render(EntryBuffer buffer, long telegramUserId, StoredGrant grant)
    {
        if (grant.UnknownFields.Count > 0)
        {
            throw new ArgumentException("A grant with unknown fields is written through its template.", nameof(grant));
        }

        buffer.Ascii("  \""u8);
        buffer.Number(telegramUserId);
        buffer.Ascii("\": {\n    \"access_token\": "u8);
        buffer.Token(grant.SealedAccessToken);
        buffer.Ascii(",\n    \"refresh_token\": "u8);
        buffer.Token(grant.SealedRefreshToken);
        buffer.Ascii(",\n    \"expires_at\": "u8);
        buffer.Time(grant.ExpiresAt);
        buffer.Ascii(",\n    \"token_type\": "u8);
        buffer.String(grant.TokenType);
        buffer.Ascii(",\n    \"scope\": "u8);
        buffer.String(grant.Scope);
        Time(buffer, ",\n    \"created_at\": "u8, grant.CreatedAt);
        Time(buffer, ",\n    \"updated_at\": "u8, grant.UpdatedAt);
        Text(buffer, ",\n    \"jira_account_id\": "u8, grant.JiraAccountId);
        Text(buffer, ",\n    \"jira_email\": "u8, grant.JiraEmail);
        Text(buffer, ",\n    \"jira_cloud_id\": "u8, grant.JiraCloudId);
        Text(buffer, ",\n    \"jira_site_url\": "u8, grant.JiraSiteUrl);
        Text(buffer, ",\n    \"jira_site_name\": "u8, grant.JiraSiteName);
        Time(buffer, ",\n    \"reauthorization_required_at\": "u8, grant.ReauthorizationRequiredAt);
        if (grant.JiraSites is { } sites)
        {
            Sites(buffer, sites);
        }

        buffer.Ascii("\n  }"u8);
    }

    /// <summary>The <c>jira_sites</c> field as <see cref="JiraSiteListJson.Write"/> through the Newtonsoft writer lays it out.</summary>
    private static void Sites(EntryBuffer buffer, IReadOnlyList<JiraSite> sites)
    {
        buffer.Ascii(",\n    \"jira_sites\": ["u8);
        for (var i = 0; i < sites.Count; i++)
        {
            var site = sites[i];
            buffer.Ascii(i == 0 ? "\n      {\n        \"id\": "u8 : ",\n      {\n        \"id\": "u8);
            buffer.String(site.CloudId);
            buffer.Ascii(",\n        \"url\": "u8);
            buffer.String(site.Url);
            buffer.Ascii(",\n        \"name\": "u8);
            buffer.String(site.Name);
            buffer.Ascii(",\n        \"scopes\": ["u8);
            for (var j = 0; j < site.Scopes.Count; j++)
            {
                buffer.Ascii(j == 0 ? "\n          "u8 : ",\n          "u8);
                buffer.String(site.Scopes[j]);
            }

            buffer.Ascii(site.Scopes.Count == 0 ? "]\n      }"u8 : "\n        ]\n      }"u8);
        }

        buffer.Ascii(sites.Count == 0 ? "]"u8 : "\n    ]"u8);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteTemplate(EntryBuffer buffer, RecordTemplate template, StoredGrant grant)
    {
        var text = template.Text.AsSpan();
        var accessFirst = template.AccessCut <= template.RefreshCut;
        var written = 0;
        PutBack(buffer, text, accessFirst ? template.AccessCut : template.RefreshCut, accessFirst ? grant.SealedAccessToken : grant.SealedRefreshToken, ref written);
        PutBack(buffer, text, accessFirst ? template.RefreshCut : template.AccessCut, accessFirst ? grant.SealedRefreshToken : grant.SealedAccessToken, ref written);
        buffer.Ascii(text[written..]);
    }

    /// <summary>The template's text up to <paramref name="cut"/>, then the token cut out there (none when -1).</summary>
    private static void PutBack(EntryBuffer buffer, ReadOnlySpan<byte> text, int cut, SealedText token, ref int written)
    {
        if (cut < 0)
        {
            return;
        }

        buffer.Ascii(text[written..cut]);
        token.TryGetBase64Bytes(out var data);
        buffer.Base64(data);
        written = cut;
    }

    // Absent stays absent: the old server's records carry no nulls for fields they never had.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Text(EntryBuffer buffer, ReadOnlySpan<byte> separatorAndName, string? value)
    {
        if (value is not null)
        {
            buffer.Ascii(separatorAndName);
            buffer.String(value);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Time(EntryBuffer buffer, ReadOnlySpan<byte> separatorAndName, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            buffer.Ascii(separatorAndName);
            buffer.Time(time);
        }
    }
}
