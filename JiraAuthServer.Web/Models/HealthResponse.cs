using Newtonsoft.Json;

namespace JiraAuthServer.Web.Models;

/// <summary>What <c>/health</c>, <c>/health/live</c> and <c>/health/ready</c> answer.</summary>
public sealed record HealthResponse(
    [property: JsonProperty("status")] string Status,
    [property: JsonProperty("error", NullValueHandling = NullValueHandling.Ignore)] string? Error = null)
{
    public const string Healthy = "healthy";
    public const string Unhealthy = "unhealthy";
}
