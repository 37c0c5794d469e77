using JiraAuthServer.Core.Options;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Options;

namespace JiraAuthServer.Web.Security;

/// <summary>
/// Redirects plain HTTP to HTTPS at the server's public address: the host of <c>JIRA_REDIRECT_URI</c> on
/// <c>HTTPS_PORT</c>, path and query kept. Not the request's <c>Host</c> header, as <c>UseHttpsRedirection</c> does:
/// the client chooses that one, so a link to this server could send the user's browser anywhere.
/// </summary>
public sealed class PublicHttpsRedirection(RequestDelegate next, IOptions<AtlassianOptions> atlassian, IOptions<NetworkOptions> network)
{
    private const int DefaultHttpsPort = 443;

    private readonly HostString publicHost = PublicHost(atlassian.Value.RedirectUri, network.Value.HttpsPort);

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.IsHttps)
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
        context.Response.Headers.Location = UriHelper.BuildAbsolute(
            Uri.UriSchemeHttps, publicHost, context.Request.PathBase, context.Request.Path, context.Request.QueryString);
        return Task.CompletedTask;
    }

    private static HostString PublicHost(string redirectUri, int httpsPort)
    {
        var name = HostString.FromUriComponent(new Uri(redirectUri, UriKind.Absolute)).Host;
        return httpsPort == DefaultHttpsPort ? new HostString(name) : new HostString(name, httpsPort);
    }
}
