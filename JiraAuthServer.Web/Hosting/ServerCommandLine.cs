using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;
using JiraAuthServer.Core.Options;
using JiraAuthServer.Web.Diagnostics;

namespace JiraAuthServer.Web.Hosting;

/// <summary>
/// The command line: without a command it runs the server (its arguments go on to the ASP.NET Core host unchanged),
/// or one of the maintenance commands. <c>--help</c> and <c>--version</c> exit 0; a command line it does not know
/// (a misspelt command, an unknown option) exits 2 with the usage on stderr and starts nothing.
/// </summary>
public static class ServerCommandLine
{
    public const int UsageExitCode = 2;

    /// <summary>
    /// Host settings ASP.NET Core reads from <c>--name=value</c> (the in-process test host passes its own this way too),
    /// besides the server's own settings and configuration paths such as <c>--Kestrel:Limits:MaxRequestBodySize=…</c>.
    /// </summary>
    private static readonly HashSet<string> HostKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "urls", "environment", "contentRoot", "applicationName", "http_ports", "https_ports", "AllowedHosts", "webroot",
    };

    private static readonly HashSet<string> SettingKeys = typeof(SettingNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (string)field.GetRawConstantValue()!)
        .ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <param name="args">The process's arguments.</param>
    /// <param name="runServer">Runs the server with the arguments for its host; its result is the exit code.</param>
    public static async Task<int> RunAsync(string[] args, Func<string[], Task<int>> runServer)
    {
        ArgumentNullException.ThrowIfNull(args);
        var root = Build(() => runServer(args));
        var result = root.Parse(args.Where(argument => !IsConfigurationSwitch(argument)).ToArray());
        // No handler of its own for SIGTERM (the host stops gracefully, however long compaction takes) and no catch-all:
        // the server's start-up problems are reported by StartupGuard.
        var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
        if (result.Action is ParseErrorAction)
        {
            invocation.Output = Console.Error;
            invocation.Error = Console.Error;
            await result.InvokeAsync(invocation);
            return UsageExitCode;
        }

        return await result.InvokeAsync(invocation);
    }

    private static RootCommand Build(Func<Task<int>> runServer)
    {
        var root = new RootCommand(
            $"Jira Authorization Server {BuildVersion.Informational}. Without a command, runs the server. Settings come from the "
            + "environment and a .env file in the working folder (the environment wins); any setting may also be given as --NAME=value. "
            + "Exit codes: 0 done; 1 a setting, the store or the work failed (stderr says what); 2 the command line is wrong.")
        {
            new Option<string>("--urls")
            {
                Description = "Addresses to listen on, such as http://127.0.0.1:5000 (or ASPNETCORE_URLS; default http://localhost:5000)",
                HelpName = "urls",
            },
            new Option<string>("--environment")
            {
                Description = "Production (the default) or Development (or ASPNETCORE_ENVIRONMENT)",
                HelpName = "name",
            },
            MaintenanceCommands.GenerateKey(),
            MaintenanceCommands.RotateKeys(),
            TokenFileCommands.Import(),
            TokenFileCommands.Export(),
        };
        root.SetAction((_, _) => runServer());
        return root;
    }

    /// <summary><c>--name=value</c> for a known setting or host key, or a configuration path (<c>--Section:Key=value</c>).</summary>
    private static bool IsConfigurationSwitch(string argument)
    {
        if (!argument.StartsWith("--", StringComparison.Ordinal) || argument.IndexOf('=', StringComparison.Ordinal) is var equals && equals < 3)
        {
            return false;
        }

        var key = argument[2..equals];
        return HostKeys.Contains(key) || SettingKeys.Contains(key) || key.Contains(':', StringComparison.Ordinal);
    }
}
