using JiraAuthServer.Core.Options;

namespace JiraAuthServer.Web.Sandbox;

/// <summary>
/// The sandbox starts only in Development and only when no Atlassian app is configured: Production (or Staging)
/// never gets it, and real settings always win.
/// </summary>
public static class SandboxDecision
{
    public static readonly string[] AtlassianAppSettings = [SettingNames.ClientId, SettingNames.ClientSecret, SettingNames.RedirectUri];

    public static bool ShouldStart(IHostEnvironment environment, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return environment.IsDevelopment() && AtlassianAppSettings.All(name => string.IsNullOrWhiteSpace(configuration[name]));
    }

    /// <summary>Where a browser on this machine reaches the server: the first listening URL, wildcards as localhost.</summary>
    public static string PublicUrl(IConfiguration configuration)
    {
        var first = configuration["urls"]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (string.IsNullOrEmpty(first))
        {
            return "http://localhost:5000";
        }

        foreach (var wildcard in new[] { "://*", "://+", "://0.0.0.0", "://[::]" })
        {
            first = first.Replace(wildcard, "://localhost", StringComparison.Ordinal);
        }

        return first.TrimEnd('/');
    }
}
