using JiraAuthServer.Core.Atlassian;
using JiraAuthServer.Core.Grants;
using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Infrastructure.Atlassian;

/// <summary>Turns the body of a successful answer into Core's records, or a classified failure.</summary>
internal static class AtlassianResponseReader
{
    private static readonly TimeSpan DefaultExpiresIn = TimeSpan.FromHours(1);

    public static AtlassianTokenResponse ReadTokens(JToken json, string endpoint, int status)
    {
        var accessToken = AtlassianJson.String(json, "access_token")
            ?? throw new AtlassianException(AtlassianFailureKind.Rejected, $"Atlassian {endpoint} answered {status} without an access_token", status);
        var expiresIn = AtlassianJson.PositiveInteger(json, "expires_in") is { } seconds && seconds <= int.MaxValue
            ? TimeSpan.FromSeconds(seconds)
            : DefaultExpiresIn;
        return new AtlassianTokenResponse(
            accessToken,
            AtlassianJson.String(json, "refresh_token"),
            expiresIn,
            AtlassianJson.String(json, "scope") ?? string.Empty,
            AtlassianJson.String(json, "token_type") ?? "Bearer");
    }

    public static IReadOnlyList<JiraSite> ReadSites(JToken json, string endpoint, int status)
    {
        if (json is not JArray entries)
        {
            throw new AtlassianException(AtlassianFailureKind.Transient, $"Atlassian {endpoint} answered {status} with something other than a list", status);
        }

        var sites = new List<JiraSite>();
        foreach (var entry in entries)
        {
            if (AtlassianJson.String(entry, "id") is { } cloudId && AtlassianJson.String(entry, "url") is { } url)
            {
                sites.Add(new JiraSite(cloudId, url, AtlassianJson.String(entry, "name") ?? string.Empty, AtlassianJson.Strings(entry, "scopes")));
            }
        }

        return sites;
    }

    public static JiraIdentity ReadIdentity(JToken json, string endpoint, int status)
    {
        var accountId = AtlassianJson.String(json, "accountId")
            ?? throw new AtlassianException(AtlassianFailureKind.Rejected, $"Atlassian {endpoint} answered {status} without an accountId", status);
        return new JiraIdentity(accountId, AtlassianJson.String(json, "emailAddress"), AtlassianJson.String(json, "displayName"));
    }
}
