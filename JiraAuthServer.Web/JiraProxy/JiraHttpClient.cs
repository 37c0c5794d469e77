using System.Diagnostics;
using System.Net;
using JiraAuthServer.Core.Options;
using Microsoft.Extensions.Options;

namespace JiraAuthServer.Web.JiraProxy;

/// <summary>
/// The connections to Jira, shared by every call: no cookies (one user's session must never reach another's call),
/// no redirects (a Location goes back to the bot as Jira sent it), no system proxy, no decompression (bodies pass
/// through as sent), and no tracing headers added.
/// </summary>
public sealed class JiraHttpClient(IOptions<JiraProxyOptions> options) : IDisposable
{
    public HttpMessageInvoker Invoker { get; } = new(new SocketsHttpHandler
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.None,
        ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator(),
        ConnectTimeout = options.Value.Timeout,

        // Atlassian's addresses change; a connection is not kept forever to an address DNS no longer gives.
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    });

    public void Dispose() => Invoker.Dispose();
}
