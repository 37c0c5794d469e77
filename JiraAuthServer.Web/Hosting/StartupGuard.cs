using JiraAuthServer.Core.Authorization;
using JiraAuthServer.Core.Crypto;
using JiraAuthServer.Core.Options;
using JiraAuthServer.Core.Storage;
using JiraAuthServer.Infrastructure.Crypto;
using JiraAuthServer.Infrastructure.Postgres;
using JiraAuthServer.Infrastructure.Storage;
using JiraAuthServer.Web.Diagnostics;
using JiraAuthServer.Web.Security;
using Microsoft.Extensions.Options;

namespace JiraAuthServer.Web.Hosting;

/// <summary>
/// Builds and runs the server; a problem found at start (a setting, a damaged token file, a held lock) ends the
/// process with exit code 1 and a message that says what to fix, instead of a stack trace or a half-working server.
/// </summary>
public static partial class StartupGuard
{
    public static async Task<int> RunAsync(WebApplicationBuilder builder, Action<WebApplication> configure)
    {
        try
        {
            var app = builder.Build();
            OpenStoresEagerly(app.Services);
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StartupGuard));
            LogStarting(logger, BuildVersion.Informational);
            configure(app);
            await app.RunAsync();
            return 0;
        }
        catch (Exception exception) when (exception is not HostAbortedException && IsStartupProblem(exception))
        {
            await ReportAsync(exception);
            return 1;
        }
    }

    public static Task ReportAsync(Exception exception) => ReportAsync("The server cannot start:", Describe(exception));

    /// <summary>On stderr: <paramref name="header"/>, then one line per problem.</summary>
    public static async Task ReportAsync(string header, IEnumerable<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        await Console.Error.WriteLineAsync(header);
        foreach (var line in problems)
        {
            await Console.Error.WriteLineAsync("  - " + line);
        }
    }

    /// <summary>
    /// Settings first (so every variable at fault is listed), then the key ring and the token store, so a damaged
    /// file or a held lock stops the start instead of failing the first request.
    /// </summary>
    public static void OpenStoresEagerly(IServiceProvider services)
    {
        _ = services.GetRequiredService<IOptions<AtlassianOptions>>().Value;
        _ = services.GetRequiredService<ITokenCipher>();
        _ = services.GetRequiredService<ITokenRepository>();
        _ = services.GetRequiredService<IAuthStateStore>();

        // Loading a large token file leaves hundreds of megabytes of parse scratch in the heap; hand it back to the
        // system once now instead of carrying it for the life of the process.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

        var apiKey = services.GetRequiredService<IOptions<ApiKeyOptions>>().Value;
        if (!apiKey.StartRequiresApiKey)
        {
            LogOpenStart(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StartupGuard)));
        }
    }

    public static bool IsStartupProblem(Exception exception) =>
        exception is OptionsValidationException or StartupException or EncryptionKeyException or TokenStoreLoadException or TokenStoreLockedException
        or DatabaseStartupException;

    public static IEnumerable<string> Describe(Exception exception) => exception switch
    {
        OptionsValidationException validation => validation.Failures,
        _ => [exception.Message],
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Jira Authorization Server {Version}: settings checked and the store open, starting")]
    private static partial void LogStarting(ILogger logger, string version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "AUTH_START_REQUIRES_API_KEY=false: anyone who can reach /auth/start can bind their Jira account to any Telegram user. Update the bot to send the API key and remove this setting.")]
    private static partial void LogOpenStart(ILogger logger);
}
