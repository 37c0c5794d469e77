using JiraAuthServer.Core.Grants;
using JiraAuthServer.Core.Tokens;
using JiraAuthServer.Web.Diagnostics;
using JiraAuthServer.Web.Models;
using JiraAuthServer.Web.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace JiraAuthServer.Web.Controllers;

/// <summary>
/// What the bot asks once a user is connected: status, a working token, and revoke. Status and token are the calls
/// made most; they take the aborted-request token from the context rather than as a bound parameter, which MVC would
/// bind on every call.
/// </summary>
[ApiController]
[Route("auth")]
[Produces("application/json")]
[NoStore]
public sealed class TokenController(TokenService tokens, SecurityAudit audit) : ControllerBase
{
    /// <summary>Whether the user is connected. Refreshes first when the token is about to expire.</summary>
    /// <param name="telegramUserId">The Telegram user id.</param>
    [HttpGet("status/{telegram_user_id}")]
    [EnableRateLimiting(RateLimitPolicies.PublicApi)]
    [ProducesResponseType<StatusResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorResponse>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ErrorResponse>(StatusCodes.Status503ServiceUnavailable)]
    public async Task<IActionResult> Status([FromRoute(Name = "telegram_user_id")] string? telegramUserId)
    {
        if (!TelegramUserId.TryParse(telegramUserId, out var id))
        {
            return BadRequest(new ErrorResponse(TelegramUserId.FormatError));
        }

        return TokenLookupResults.ForStatus(this, await tokens.GetStatusAsync(id, HttpContext.RequestAborted));
    }

    /// <summary>A working access token for the user, refreshed first when it has less than the margin left.</summary>
    /// <param name="telegramUserId">The Telegram user id.</param>
    [HttpGet("token/{telegram_user_id}")]
    [RequiresApiKey]
    [ProducesResponseType<TokenResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorResponse>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ErrorResponse>(StatusCodes.Status401Unauthorized)]
    [ProducesResponseType<ErrorResponse>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ErrorResponse>(StatusCodes.Status503ServiceUnavailable)]
    public async Task<IActionResult> Token([FromRoute(Name = "telegram_user_id")] string? telegramUserId)
    {
        if (!TelegramUserId.TryParse(telegramUserId, out var id))
        {
            return BadRequest(new ErrorResponse(TelegramUserId.FormatError));
        }

        return TokenLookupResults.ForToken(this, await tokens.GetTokenAsync(id, HttpContext.RequestAborted));
    }

    /// <summary>Forgets the user's grant. The user can also remove the app in their Atlassian account settings.</summary>
    /// <param name="telegramUserId">The Telegram user id.</param>
    /// <param name="cancellationToken">Aborted request.</param>
    [HttpGet("revoke/{telegram_user_id}")]
    [HttpDelete("revoke/{telegram_user_id}")]
    [RequiresApiKey]
    [ProducesResponseType<MessageResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorResponse>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<MessageResponse>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ErrorResponse>(StatusCodes.Status503ServiceUnavailable)]
    public async Task<IActionResult> Revoke([FromRoute(Name = "telegram_user_id")] string? telegramUserId, CancellationToken cancellationToken)
    {
        if (!TelegramUserId.TryParse(telegramUserId, out var id))
        {
            return BadRequest(new ErrorResponse(TelegramUserId.FormatError));
        }

        var revoked = await tokens.RevokeAsync(id, cancellationToken);
        audit.Revoked(id, HttpContext, revoked);
        return revoked
            ? Ok(new MessageResponse(ApiMessages.Revoked))
            : NotFound(new MessageResponse(ApiMessages.NotAuthenticated));
    }
}
