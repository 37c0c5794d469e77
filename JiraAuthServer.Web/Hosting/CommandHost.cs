using JiraAuthServer.Core.Storage;
using JiraAuthServer.Infrastructure;
using JiraAuthServer.Web.Configuration;

namespace JiraAuthServer.Web.Hosting;

/// <summary>
/// Runs a maintenance command with the server's configuration sources (<c>.env</c>, environment) and logging, after
/// checking only the settings it reads. A problem it finds ends it with exit code 1 and a message, never a stack trace.
/// </summary>
public static class CommandHost
{
    /// <param name="command">The command's name, as typed.</param>
    /// <param name="settings">The settings it reads (checked before it runs).</param>
    /// <param name="withStore">Whether it uses the configured key ring and token store (the server's registrations).</param>
    /// <param name="run">The command; its result is the exit code.</param>
    public static async Task<int> RunAsync(string command, IReadOnlyList<string> settings, bool withStore, Func<WebApplication, Task<int>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        ServerConfiguration.LoadDotEnv();
        var builder = WebApplication.CreateBuilder();
        builder.AddServerConfiguration();
        if (withStore)
        {
            builder.Services.AddSingleton(TimeProvider.System);
            builder.Services.AddInfrastructure(builder.Configuration);
        }

        await using var app = builder.Build();
        var header = $"{command} cannot run:";
        var errors = SettingsValidator.FindErrors(app.Configuration, CommandSettings.WithLogging(settings));
        if (errors.Count > 0)
        {
            await StartupGuard.ReportAsync(header, errors);
            return 1;
        }

        try
        {
            return await run(app);
        }
        catch (Exception exception) when (StartupGuard.IsStartupProblem(exception) || exception is TokenStoreException)
        {
            await StartupGuard.ReportAsync(header, StartupGuard.Describe(exception));
            return 1;
        }
    }
}
