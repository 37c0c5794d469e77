using Newtonsoft.Json;

namespace JiraAuthServer.Web.Models;

public sealed record StatusResponse
{
    [JsonProperty("authenticated")]
    public required bool Authenticated { get; init; }

    [JsonProperty("expires_at", NullValueHandling = NullValueHandling.Ignore)]
    public string? ExpiresAt { get; init; }

    [JsonProperty("scope", NullValueHandling = NullValueHandling.Ignore)]
    public string? Scope { get; init; }

    [JsonProperty("message", NullValueHandling = NullValueHandling.Ignore)]
    public string? Message { get; init; }

    [JsonProperty("reauthorization_required", NullValueHandling = NullValueHandling.Ignore)]
    public bool? ReauthorizationRequired { get; init; }

    /// <summary>When the user must authorize again at the latest (the consent plus 365 days); absent when unknown.</summary>
    [JsonProperty("reauthorization_due_at", NullValueHandling = NullValueHandling.Ignore)]
    public string? ReauthorizationDueAt { get; init; }
}
