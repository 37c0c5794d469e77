using JiraAuthServer.Core.Storage;
using Microsoft.AspNetCore.Mvc;

namespace JiraAuthServer.Web.Controllers;

/// <summary>For load balancers and orchestrators: 200 while the token store can be used, 503 otherwise.</summary>
[ApiController]
[Route("health")]
[Produces("application/json")]
public sealed class HealthController(ITokenRepository repository) : ControllerBase
{
    /// <summary>Whether this process can read and write its token store.</summary>
    /// <param name="cancellationToken">Aborted request.</param>
    [HttpGet]
    [ProducesResponseType(StatusCodes.Status200OK)]
    [ProducesResponseType(StatusCodes.Status503ServiceUnavailable)]
    public async Task<IActionResult> Get(CancellationToken cancellationToken)
    {
        Response.Headers.CacheControl = "no-store";
        return await repository.IsHealthyAsync(cancellationToken)
            ? Ok(new { status = "healthy" })
            : StatusCode(StatusCodes.Status503ServiceUnavailable, new { status = "unhealthy", error = "Token store is unavailable" });
    }
}
