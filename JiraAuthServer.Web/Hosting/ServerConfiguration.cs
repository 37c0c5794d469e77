using JiraAuthServer.Web.Configuration;
using JiraAuthServer.Web.Diagnostics;
using NLog.Extensions.Logging;
using NLog.Web;

namespace JiraAuthServer.Web.Hosting;

public static class ServerConfiguration
{
    /// <summary>
    /// Puts the working folder's <c>.env</c> into the process environment (where a variable is not already set), so it
    /// must run before the host is created: the host's own <c>ASPNETCORE_URLS</c>/<c>ASPNETCORE_ENVIRONMENT</c> are
    /// read from the environment when it is.
    /// </summary>
    public static void LoadDotEnv() => DotEnvFile.LoadIntoEnvironment(Path.Combine(Directory.GetCurrentDirectory(), ".env"));

    /// <summary>Logging goes through NLog (<c>nlog.config</c>), at <c>LOG_LEVEL</c>, in <c>LOG_FORMAT</c>.</summary>
    public static void AddServerConfiguration(this WebApplicationBuilder builder)
    {
        // The stylesheet is a static web asset: a build (`dotnet run`, the tests) serves it from the project through
        // this; a published server serves the wwwroot beside its DLL (ServerStaticFiles), whatever the working folder is.
        builder.WebHost.UseStaticWebAssets();
        builder.Logging.ClearProviders();
        ServerLogging.Configure(builder.Configuration);
        // The text layout prints the message and nothing else: capturing each line's properties and the request scope
        // would only cost every request. The JSON layout writes the properties, so they are captured for it.
        builder.Host.UseNLog(new NLogAspNetCoreOptions
        {
            IncludeScopes = false,
            CaptureMessageProperties = LogSettings.IsJson(builder.Configuration),
            CaptureEventId = EventIdCaptureType.None,
        });
    }
}
