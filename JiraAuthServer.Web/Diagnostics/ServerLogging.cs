using System.Text;
using JiraAuthServer.Web.Configuration;
using NLog;
using NLog.Config;
using NLog.Layouts;
using NLog.Targets;

namespace JiraAuthServer.Web.Diagnostics;

/// <summary>
/// Loads <c>nlog.config</c> with <c>LOG_LEVEL</c> and <c>LOG_FORMAT</c> taken from the configuration (environment,
/// <c>.env</c>, command line), which NLog alone would read from the process environment only.
/// </summary>
public static class ServerLogging
{
    /// <summary>The console's line layout in <c>nlog.config</c>, replaced in JSON mode by its <c>jsonLine</c> variable.</summary>
    public const string ConsoleTarget = "consoleLines";

    private const string MinLevel = "minLevel";
    private const string JsonLine = "jsonLine";

    /// <summary>Room for a whole batch of lines, so a batch leaves in one write.</summary>
    private const int ConsoleBufferBytes = 64 * 1024;

    private static int consoleBuffered;

    public static void Configure(IConfiguration configuration)
    {
        var file = Path.Combine(AppContext.BaseDirectory, "nlog.config");
        if (!File.Exists(file))
        {
            return;
        }

        UseBufferedConsole();

        var logging = new XmlLoggingConfiguration(file);
        logging.Variables[MinLevel] = LogSettings.Level(configuration);
        if (LogSettings.IsJson(configuration))
        {
            var console = logging.FindTargetByName<ConsoleTarget>(ConsoleTarget)
                ?? throw new InvalidOperationException($"nlog.config has no console target named {ConsoleTarget}");
            console.Layout = logging.Variables[JsonLine] as JsonLayout
                ?? throw new InvalidOperationException($"nlog.config has no JSON layout variable named {JsonLine}");
        }

        LogManager.Configuration = logging;
    }

    /// <summary>
    /// Standard output with a 64 KB buffer, still flushed at the end of every write. .NET's own console writer holds
    /// 256 bytes, which cut each batch NLog writes into a write() call per two lines: at one line per request, a
    /// system call for every other request, where one per batch does.
    /// </summary>
    private static void UseBufferedConsole()
    {
        if (Interlocked.Exchange(ref consoleBuffered, 1) == 1)
        {
            return;
        }

        var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), ConsoleBufferBytes)
        {
            AutoFlush = true,
        };
        Console.SetOut(output);
    }
}
