using JiraAuthServer.Core.Options;
using JiraAuthServer.Core.Authorization;
using JiraAuthServer.Core.Grants;
using JiraAuthServer.Web.Models;
using JiraAuthServer.Web.Security;
using Microsoft.AspNetCore.Cors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace JiraAuthServer.Web.Controllers;

/// <summary>The authorization flow: a link for the bot, and the page the user's browser lands on.</summary>
[Route("auth")]
public sealed class AuthController(AuthorizationService authorization, IConfiguration configuration) : Controller
{
    /// <summary>Creates an Atlassian authorization link bound to one Telegram user.</summary>
    /// <param name="telegramUserId">The Telegram user id the grant will belong to.</param>
    /// <param name="cancellationToken">Aborted request.</param>
    [HttpGet("start")]
    [RequiresApiKey(UnlessStartIsOpen = true)]
    [EnableRateLimiting(RateLimitPolicies.PublicApi)]
    [Produces("application/json")]
    [NoStore]
    [ProducesResponseType<StartResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorResponse>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ErrorResponse>(StatusCodes.Status503ServiceUnavailable)]
    public async Task<IActionResult> Start([FromQuery(Name = "telegram_user_id")] string? telegramUserId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(telegramUserId))
        {
            return BadRequest(new ErrorResponse("telegram_user_id is required"));
        }

        if (!TelegramUserId.TryParse(telegramUserId, out var id))
        {
            return BadRequest(new ErrorResponse(TelegramUserId.FormatError));
        }

        var link = await authorization.StartAsync(id, cancellationToken);
        return Ok(new StartResponse(link.AuthUrl, id.ToString(System.Globalization.CultureInfo.InvariantCulture), link.State));
    }

    /// <summary>Where Atlassian sends the browser back. Renders a page, never JSON.</summary>
    /// <param name="code">The authorization code.</param>
    /// <param name="state">The state from <c>/auth/start</c>.</param>
    /// <param name="error">Set by Atlassian when the user declined (<c>access_denied</c>).</param>
    /// <param name="cancellationToken">Aborted request.</param>
    [HttpGet("callback")]
    [PageSecurityHeaders]
    [DisableCors]
    [EnableRateLimiting(RateLimitPolicies.Callback)]
    [Produces("text/html")]
    [ProducesResponseType(typeof(string), StatusCodes.Status200OK, "text/html")]
    [ProducesResponseType(typeof(string), StatusCodes.Status400BadRequest, "text/html")]
    [ProducesResponseType(typeof(string), StatusCodes.Status403Forbidden, "text/html")]
    [ProducesResponseType(typeof(string), StatusCodes.Status502BadGateway, "text/html")]
    [ProducesResponseType(typeof(string), StatusCodes.Status503ServiceUnavailable, "text/html")]
    public async Task<IActionResult> Callback(string? code, string? state, string? error, CancellationToken cancellationToken)
    {
        var request = new CallbackRequest(code, state, error) { ClientAddress = ClientAddress.Of(HttpContext) };
        var result = await authorization.CompleteAsync(request, cancellationToken);
        var botName = configuration[SettingNames.TelegramBotUsername];
        if (result.Failure is { } failure)
        {
            Response.StatusCode = CallbackPages.StatusCodeOf(failure);
            return View("Failure", CallbackPages.Failure(failure, configuration[SettingNames.SiteUrl]?.Trim(), botName));
        }

        return View("Success", CallbackPages.Success(result.Identity!, result.Site, botName));
    }
}
