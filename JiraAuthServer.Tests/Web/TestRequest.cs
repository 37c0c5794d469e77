using System.Net.Http.Headers;

namespace JiraAuthServer.Tests.Web;

/// <summary>A request as a given client sends it: from which peer address, with which key and proxy headers.</summary>
internal static class TestRequest
{
    public static HttpRequestMessage Create(string url, string? peer = null, string? authorization = null, string? forwardedFor = null, HttpMethod? method = null)
    {
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, new Uri(url, UriKind.RelativeOrAbsolute));
        if (peer is not null)
        {
            request.Headers.Add(PeerAddressStartupFilter.Header, peer);
        }

        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        return request;
    }

    public static string Bearer(string key) => new AuthenticationHeaderValue("Bearer", key).ToString();
}
