using Microsoft.Extensions.FileProviders;

namespace JiraAuthServer.Web.Hosting;

/// <summary>
/// The pages' stylesheet and icon come from the <c>wwwroot</c> beside the server's DLL, wherever the process was
/// started: a service usually runs in the folder that holds <c>user_tokens.json</c> and <c>.env</c> (both are read from
/// the working folder), not in the folder the server was published to, where ASP.NET would look by default.
/// </summary>
public static class ServerStaticFiles
{
    public static StaticFileOptions Options()
    {
        var besideServer = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        return Directory.Exists(besideServer)
            ? new StaticFileOptions { FileProvider = new PhysicalFileProvider(besideServer) }
            : new StaticFileOptions();
    }
}
