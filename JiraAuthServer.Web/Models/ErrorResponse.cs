using Newtonsoft.Json;

namespace JiraAuthServer.Web.Models;

/// <summary>Every JSON error: a stable <c>error</c> field, as the old server answered.</summary>
public sealed record ErrorResponse(
    [property: JsonProperty("error")] string Error,
    [property: JsonProperty("reauthorization_required", NullValueHandling = NullValueHandling.Ignore)] bool? ReauthorizationRequired = null);
