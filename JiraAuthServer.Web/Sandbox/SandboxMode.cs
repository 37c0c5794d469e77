namespace JiraAuthServer.Web.Sandbox;

/// <summary>
/// Whether this process runs as the local-development sandbox, and what it generated. Registered in every process,
/// so pages can show the sandbox label; <see cref="IsActive"/> is false outside the sandbox.
/// </summary>
public sealed class SandboxMode
{
    public static SandboxMode Off { get; } = new(false, string.Empty, string.Empty, string.Empty);

    public SandboxMode(bool isActive, string publicUrl, string apiKey, string tokensFile)
    {
        IsActive = isActive;
        PublicUrl = publicUrl;
        ApiKey = apiKey;
        TokensFile = tokensFile;
    }

    public bool IsActive { get; }

    /// <summary>Where the browser reaches this server, e.g. <c>http://localhost:5000</c>.</summary>
    public string PublicUrl { get; }

    /// <summary>The INTERNAL_API_KEY in force (generated unless the developer set one).</summary>
    public string ApiKey { get; }

    /// <summary>The throwaway token file, removed when the sandbox stops.</summary>
    public string TokensFile { get; }

    /// <summary>Base URL of the stand-in Atlassian (authorization server and API alike).</summary>
    public string AtlassianUrl => PublicUrl + SandboxRoutes.Atlassian;
}
