using Microsoft.AspNetCore.Mvc;

namespace BareEndpoint;

/// <summary>
/// BARE_MODE=mvc: the fixed body from an MVC action routed and bound like the server's TokenController (same template,
/// the id as a route string), so the bench can show what MVC alone costs against the minimal endpoint.
/// </summary>
[ApiController]
[Route("auth")]
public sealed class FixedBodyController(FixedBody body) : ControllerBase
{
    [HttpGet("token/{telegram_user_id}")]
    public Task Token([FromRoute(Name = "telegram_user_id")] string telegramUserId)
    {
        // The server answers 400 for an id that is not a number; the bench only asks for numbers.
        if (!long.TryParse(telegramUserId, out _))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Task.CompletedTask;
        }

        return body.WriteToAsync(Response);
    }

    /// <summary>What the bench polls before it starts.</summary>
    [HttpGet("/health")]
    public Task Health() => body.WriteToAsync(Response);
}
