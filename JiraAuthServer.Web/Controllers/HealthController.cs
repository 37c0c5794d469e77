using JiraAuthServer.Web.Health;
using JiraAuthServer.Web.Models;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace JiraAuthServer.Web.Controllers;

/// <summary>
/// For load balancers and orchestrators of earlier versions: 200 while the token store can be used, 503 otherwise
/// (the store check of <c>/health/ready</c>; see <see cref="HealthSetup"/>).
/// </summary>
[ApiController]
[Route("health")]
[Produces("application/json")]
public sealed class HealthController(HealthCheckService health) : ControllerBase
{
    /// <summary>Whether this process can read and write its token store.</summary>
    /// <param name="cancellationToken">Aborted request.</param>
    [HttpGet]
    [ProducesResponseType<HealthResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<HealthResponse>(StatusCodes.Status503ServiceUnavailable)]
    public async Task<IActionResult> Get(CancellationToken cancellationToken)
    {
        Response.Headers.CacheControl = "no-store";
        var report = await health.CheckHealthAsync(check => check.Tags.Contains(HealthTags.Store), cancellationToken);
        return StatusCode(HealthAnswer.StatusCodeOf(report), HealthAnswer.Of(report));
    }
}
