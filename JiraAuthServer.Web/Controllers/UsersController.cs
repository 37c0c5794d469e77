using JiraAuthServer.Core.Users;
using JiraAuthServer.Web.Models;
using JiraAuthServer.Web.Security;
using Microsoft.AspNetCore.Mvc;

namespace JiraAuthServer.Web.Controllers;

/// <summary>For operators: every connected user and the state of their grant, page by page.</summary>
[ApiController]
[Route("auth")]
[Produces("application/json")]
[NoStore]
public sealed class UsersController(ConnectedUsers users) : ControllerBase
{
    /// <summary>Stored grants in Telegram id order, without tokens. Follow <c>next</c> (as <c>after</c>) until it is null.</summary>
    /// <param name="limit">Users per page, 1 to 1000 (default 100).</param>
    /// <param name="after">The <c>next</c> cursor of the previous page; absent for the first page.</param>
    /// <param name="status"><c>connected</c> or <c>reauthorization_required</c>; absent for both.</param>
    /// <param name="cancellationToken">Aborted request.</param>
    [HttpGet("users")]
    [RequiresApiKey]
    [ProducesResponseType<UserListResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorResponse>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ErrorResponse>(StatusCodes.Status401Unauthorized)]
    [ProducesResponseType<ErrorResponse>(StatusCodes.Status429TooManyRequests)]
    [ProducesResponseType<ErrorResponse>(StatusCodes.Status503ServiceUnavailable)]
    public async Task<IActionResult> List(
        [FromQuery(Name = "limit")] string? limit,
        [FromQuery(Name = "after")] string? after,
        [FromQuery(Name = "status")] string? status,
        CancellationToken cancellationToken)
    {
        if (UserListQuery.Parse(limit, after, status, out var error) is not { } query)
        {
            return BadRequest(new ErrorResponse(error!));
        }

        return Ok(UserListResponse.From(await users.ListAsync(query, cancellationToken)));
    }
}
