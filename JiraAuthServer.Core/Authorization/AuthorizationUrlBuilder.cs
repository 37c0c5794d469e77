using System.Text;
using JiraAuthServer.Core.Options;

namespace JiraAuthServer.Core.Authorization;

/// <summary>Builds Atlassian's consent URL with every parameter 3LO needs (audience and offline_access included).</summary>
public static class AuthorizationUrlBuilder
{
    public static string Build(AtlassianOptions options, string state)
    {
        var url = new StringBuilder(options.AuthBaseUrl.TrimEnd('/')).Append("/authorize");
        Append(url, '?', "audience", "api.atlassian.com");
        Append(url, '&', "client_id", options.ClientId);
        Append(url, '&', "scope", options.Scopes);
        Append(url, '&', "redirect_uri", options.RedirectUri);
        Append(url, '&', "state", state);
        Append(url, '&', "response_type", "code");
        Append(url, '&', "prompt", "consent");
        return url.ToString();
    }

    private static void Append(StringBuilder url, char separator, string name, string value) =>
        url.Append(separator).Append(name).Append('=').Append(Uri.EscapeDataString(value));
}
