using JiraAuthServer.Core.JiraProxy;
using JiraAuthServer.Core.Options;
using JiraAuthServer.Core.Tokens;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace JiraAuthServer.Web.JiraProxy;

/// <summary>
/// Sends a checked Jira call with the user's access token through YARP, streaming both bodies. When Jira answers
/// 401 to a token this server still holds as valid (Atlassian revokes it within minutes of a refresh), the token is
/// refreshed through the same single flight as <c>/auth/token</c> and the call sent once more, if its body was kept
/// (<see cref="ReplayableBody"/>); otherwise the 401 goes to the bot and the refresh happens for its next call.
/// </summary>
public sealed class JiraForwarder(
    IHttpForwarder forwarder,
    JiraHttpClient client,
    TokenService tokens,
    IOptions<AtlassianOptions> atlassianOptions,
    IOptions<JiraProxyOptions> proxyOptions)
{
    private static readonly UriCreationOptions Verbatim = new() { DangerousDisablePathAndQueryCanonicalization = true };

    private readonly string apiBaseUrl = atlassianOptions.Value.ApiBaseUrl;
    private readonly JiraProxyOptions options = proxyOptions.Value;
    private readonly ForwarderRequestConfig requestConfig = new() { ActivityTimeout = proxyOptions.Value.Timeout };

    /// <param name="context">The bot's request; the answer is written to its response.</param>
    /// <param name="target">The checked path and query.</param>
    /// <param name="lookup">A served token lookup whose grant has a Jira site.</param>
    public async Task<JiraForwardResult> ForwardAsync(HttpContext context, JiraProxyTarget target, TokenLookup lookup)
    {
        var kept = await ReplayableBody.TryKeepAsync(context.Request, options.ReplayableBodyBytes, context.RequestAborted);
        var first = await SendAsync(context, target, lookup, holdBackUnauthorized: kept is not null);
        if (!first.HeldBackUnauthorized)
        {
            if (first.Error == ForwarderError.None && context.Response.StatusCode == StatusCodes.Status401Unauthorized)
            {
                // Not sent again (its body was streamed), but the bot's next call gets a fresh token. The refresh
                // runs on by itself whatever happens to this request.
                _ = tokens.RefreshRejectedAsync(target.TelegramUserId, lookup.Grant!, CancellationToken.None);
            }

            return new JiraForwardResult(first.Error, Retried: false);
        }

        var renewed = await tokens.RefreshRejectedAsync(target.TelegramUserId, lookup.Grant!, context.RequestAborted);
        if (renewed.Status != TokenLookupStatus.Served || renewed.Grant!.JiraCloudId is null)
        {
            return new JiraForwardResult(ForwarderError.None, Retried: false, renewed);
        }

        // YARP left Jira's 401 status in place (and forwards only onto an untouched response); nothing else was written.
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Features.Get<IHttpResponseFeature>()!.ReasonPhrase = null;
        ReplayableBody.Rewind(context.Request, kept!);
        var second = await SendAsync(context, target, renewed, holdBackUnauthorized: false);
        return new JiraForwardResult(second.Error, Retried: true);
    }

    private async Task<(ForwarderError Error, bool HeldBackUnauthorized)> SendAsync(HttpContext context, JiraProxyTarget target, TokenLookup lookup, bool holdBackUnauthorized)
    {
        var url = new Uri(target.JiraUrl(apiBaseUrl, lookup.Grant!.JiraCloudId!), Verbatim);
        var transformer = new JiraTransformer(url, lookup.AccessToken!, holdBackUnauthorized);
        var error = await forwarder.SendAsync(context, apiBaseUrl, client.Invoker, requestConfig, transformer, context.RequestAborted);
        return (error, transformer.HeldBackUnauthorized);
    }
}
