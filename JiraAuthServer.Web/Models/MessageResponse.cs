using Newtonsoft.Json;

namespace JiraAuthServer.Web.Models;

public sealed record MessageResponse([property: JsonProperty("message")] string Message);
