using JiraAuthServer.Core.JiraProxy;
using JiraAuthServer.Core.Tokens;
using JiraAuthServer.Web.JiraProxy;
using JiraAuthServer.Web.Models;
using JiraAuthServer.Web.OpenApi;
using JiraAuthServer.Web.Security;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace JiraAuthServer.Web.Controllers;

/// <summary>Jira REST calls on a user's behalf, so the bot never holds a Jira token.</summary>
[ApiController]
[Route("jira")]
[RequiresApiKey]
public sealed class JiraProxyController(TokenService tokens, JiraForwarder forwarder) : ControllerBase
{
    /// <summary>
    /// Sends the call to <c>{ATLASSIAN_API_URL}/ex/jira/{jira_cloud_id}/{path}</c> (query string kept) with the
    /// user's current access token, and passes Jira's status, allowlisted headers and body back as they are, 429 and
    /// its Retry-After included. Any status not listed here is Jira's own answer. A 401 from Jira to a token that had
    /// not expired is answered by a refresh and one more try, when the request has no body or one of at most 64 KB.
    /// </summary>
    /// <param name="telegramUserId">The Telegram user id.</param>
    /// <param name="path">The Jira REST path, starting with <c>rest/</c>, e.g. <c>rest/api/3/myself</c>.</param>
    /// <response code="200">Jira's answer (any status other than those below, and these too when Jira sends them).</response>
    /// <response code="400">The path is refused (not under rest/, a . or .. segment, an encoded slash or backslash, //, a control character) or the id is malformed; nothing was sent to Jira.</response>
    /// <response code="401">No or a wrong API key, or the grant is dead (<c>reauthorization_required</c>), as for /auth/token.</response>
    /// <response code="404">The user has not authorized.</response>
    /// <response code="409">The grant has no Jira site recorded: the user must authorize again.</response>
    /// <response code="429">Too many wrong API keys from this address, or Jira's own rate limit (its Retry-After kept).</response>
    /// <response code="502">Jira could not be reached.</response>
    /// <response code="503">A token could not be had right now (Atlassian or the token store unavailable); see Retry-After.</response>
    /// <response code="504">Jira did not answer within JIRA_PROXY_TIMEOUT.</response>
    [AcceptVerbs("GET", "POST", "PUT", "PATCH", "DELETE", Route = "{telegram_user_id}/{**path}")]
    [Produces("application/json")]
    [ProducesResponseType(StatusCodes.Status200OK)]
    [AnswerPassedOn]
    [ProducesResponseType<ErrorResponse>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ErrorResponse>(StatusCodes.Status401Unauthorized)]
    [ProducesResponseType<ErrorResponse>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ErrorResponse>(StatusCodes.Status409Conflict)]
    [ProducesResponseType<ErrorResponse>(StatusCodes.Status429TooManyRequests)]
    [ProducesResponseType<ErrorResponse>(StatusCodes.Status502BadGateway)]
    [ProducesResponseType<ErrorResponse>(StatusCodes.Status503ServiceUnavailable)]
    [ProducesResponseType<ErrorResponse>(StatusCodes.Status504GatewayTimeout)]
    public Task<IActionResult> Forward([FromRoute(Name = "telegram_user_id")] string? telegramUserId, [FromRoute(Name = "path")] string? path) => ForwardAsync();

    /// <summary>
    /// What the server resolved to a shorter path under /jira (dot segments are removed before routing): refused by
    /// the same check on the target as it was sent.
    /// </summary>
    [AcceptVerbs("GET", "POST", "PUT", "PATCH", "DELETE", Route = "{**rest}")]
    [ApiExplorerSettings(IgnoreApi = true)]
    public Task<IActionResult> Resolved() => ForwardAsync();

    private async Task<IActionResult> ForwardAsync()
    {
        var call = JiraCallLog.Track(HttpContext);

        // Jira's answers are passed on as they are, a bodiless 404 too.
        HttpContext.Features.Get<IStatusCodePagesFeature>()?.Enabled = false;
        var parsed = JiraProxyPath.Parse(RawTarget());
        if (parsed.Target is not { } target)
        {
            return BadRequest(new ErrorResponse(parsed.Error!));
        }

        call.Path = target.Path;
        var lookup = await tokens.GetTokenAsync(target.TelegramUserId, HttpContext.RequestAborted);
        if (lookup.Status != TokenLookupStatus.Served)
        {
            return TokenLookupResults.ForToken(this, lookup);
        }

        if (lookup.Grant!.JiraCloudId is null)
        {
            return Conflict(new ErrorResponse(ApiMessages.NoJiraSite));
        }

        var result = await forwarder.ForwardAsync(HttpContext, target, lookup);
        (call.Retried, call.Error) = (result.Retried, result.Error);
        return JiraForwardResults.For(this, result);
    }

    /// <summary>The target as it came on the wire; an in-memory test host has none, and gets the re-encoded path.</summary>
    private string RawTarget() =>
        HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw ? raw : Request.GetEncodedPathAndQuery();
}
