namespace JiraAuthServer.Web.Security;

public sealed class ApiKeyOptions
{
    /// <summary><c>INTERNAL_API_KEY</c>: the bot's Bearer key.</summary>
    public string InternalApiKey { get; set; } = string.Empty;

    /// <summary><c>AUTH_START_REQUIRES_API_KEY</c>: false keeps the old server's open <c>/auth/start</c>.</summary>
    public bool StartRequiresApiKey { get; set; } = true;
}
