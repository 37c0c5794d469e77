using JiraAuthServer.Web.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using NLog.Extensions.Logging;
using NLog.Web;

namespace JiraAuthServer.Web.Hosting;

public static class ServerConfiguration
{
    /// <summary>
    /// A <c>.env</c> file in the working folder is the lowest-priority source, so real environment variables win.
    /// Logging goes through NLog (<c>nlog.config</c>).
    /// </summary>
    public static void AddServerConfiguration(this WebApplicationBuilder builder)
    {
        var dotEnv = DotEnvFile.Read(Path.Combine(Directory.GetCurrentDirectory(), ".env"));
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = dotEnv });
        // The stylesheet is a static web asset: a build (`dotnet run`, the tests) serves it from the project through
        // this; a published server serves the wwwroot beside its DLL (ServerStaticFiles), whatever the working folder is.
        builder.WebHost.UseStaticWebAssets();
        builder.Logging.ClearProviders();
        // The layout prints the message and nothing else: capturing each line's properties and the request scope
        // would only cost every request.
        builder.Host.UseNLog(new NLogAspNetCoreOptions { IncludeScopes = false, CaptureMessageProperties = false, CaptureEventId = EventIdCaptureType.None });
    }
}
