using Microsoft.Extensions.Options;

namespace JiraAuthServer.Web.Hosting;

/// <summary>
/// Builds and runs the server; a problem found at start (a setting, a damaged token file, a held lock) ends the
/// process with exit code 1 and a message that says what to fix, instead of a stack trace or a half-working server.
/// </summary>
public static class StartupGuard
{
    public static async Task<int> RunAsync(WebApplicationBuilder builder, Action<WebApplication> configure)
    {
        try
        {
            var app = builder.Build();
            configure(app);
            await app.RunAsync();
            return 0;
        }
        catch (Exception exception) when (exception is not HostAbortedException && IsStartupProblem(exception))
        {
            await Console.Error.WriteLineAsync("The server cannot start:");
            foreach (var line in Describe(exception))
            {
                await Console.Error.WriteLineAsync("  - " + line);
            }

            return 1;
        }
    }

    private static bool IsStartupProblem(Exception exception) =>
        exception is OptionsValidationException or StartupException || exception.InnerException is StartupException;

    private static IEnumerable<string> Describe(Exception exception) => exception switch
    {
        OptionsValidationException validation => validation.Failures,
        StartupException startup => [startup.Message],
        _ => [exception.InnerException!.Message],
    };
}
