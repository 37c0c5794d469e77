using System.Net;
using System.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;

namespace JiraAuthServer.Web.JiraProxy;

/// <summary>
/// One attempt of a Jira call: the exact URL that was checked, the user's access token, and only the allowlisted
/// headers (<see cref="JiraHeaders"/>) each way. With <paramref name="holdBackUnauthorized"/>, a 401 is not passed
/// on: the caller refreshes and sends the call again.
/// </summary>
public sealed class JiraTransformer(Uri jiraUrl, string accessToken, bool holdBackUnauthorized) : HttpTransformer
{
    /// <summary>Jira answered 401 and nothing of that answer was sent to the bot.</summary>
    public bool HeldBackUnauthorized { get; private set; }

    public override ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        proxyRequest.RequestUri = jiraUrl;
        foreach (var (name, values) in httpContext.Request.Headers)
        {
            if (JiraHeaders.Request.Contains(name))
            {
                HttpHeaders? target = JiraHeaders.IsContentHeader(name) ? proxyRequest.Content?.Headers : proxyRequest.Headers;
                target?.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        proxyRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return ValueTask.CompletedTask;
    }

    public override ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        if (proxyResponse is null)
        {
            return ValueTask.FromResult(false);
        }

        if (holdBackUnauthorized && proxyResponse.StatusCode == HttpStatusCode.Unauthorized)
        {
            HeldBackUnauthorized = true;
            return ValueTask.FromResult(false);
        }

        var headers = httpContext.Response.Headers;
        Copy(proxyResponse.Headers, headers);
        Copy(proxyResponse.Content.Headers, headers);

        // A user's issues and attachments: never kept by a cache between the bot and this server.
        headers.CacheControl = "no-store";
        return ValueTask.FromResult(true);
    }

    public override ValueTask TransformResponseTrailersAsync(HttpContext httpContext, HttpResponseMessage proxyResponse, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;

    private static void Copy(HttpHeaders from, IHeaderDictionary to)
    {
        foreach (var (name, values) in from.NonValidated)
        {
            if (JiraHeaders.Response.Contains(name))
            {
                to[name] = values.ToArray();
            }
        }
    }
}
