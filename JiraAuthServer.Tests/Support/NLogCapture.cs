using NLog;
using NLog.Config;
using NLog.Targets;

namespace JiraAuthServer.Tests.Support;

/// <summary>
/// Everything the server's own <c>nlog.config</c> would print, at its most verbose level (<c>LOG_LEVEL=Trace</c>),
/// also kept in memory: a memory target joins every rule that writes to the console, so the config's filters still
/// apply. Every event property and the whole exception are rendered too, not just what the console layout shows; and
/// what the console layout itself renders (text, or JSON with <c>LOG_FORMAT=json</c>) is kept beside it.
/// Create it after the server host is built (that is when NLog loads the config).
/// </summary>
public sealed class NLogCapture : IDisposable
{
    private const string Console = "console";
    private readonly LoggingConfiguration configuration;
    private readonly MemoryTarget target;
    private readonly MemoryTarget consoleCopy;
    private readonly List<LoggingRule> rules;
    private readonly string? previousLevel;

    public NLogCapture()
    {
        configuration = LogManager.Configuration ?? throw new InvalidOperationException("NLog has no configuration: build the server first");
        target = new MemoryTarget("test-capture")
        {
            Layout = "${level:uppercase=true} ${logger}: ${message} | ${all-event-properties} | ${exception:format=tostring,data}",
            MaxLogsCount = 200_000,
        };
        var console = configuration.FindTargetByName<ConsoleTarget>(JiraAuthServer.Web.Diagnostics.ServerLogging.ConsoleTarget)
            ?? throw new InvalidOperationException("nlog.config has no console line target");
        consoleCopy = new MemoryTarget("test-console-copy") { Layout = console.Layout, MaxLogsCount = 200_000 };
        configuration.AddTarget(target);
        configuration.AddTarget(consoleCopy);
        rules = configuration.LoggingRules.Where(rule => rule.Targets.Any(t => t.Name == Console)).ToList();
        Assert.That(rules, Is.Not.Empty, "nlog.config writes nothing to a target named console");
        foreach (var rule in rules)
        {
            rule.Targets.Add(target);
            rule.Targets.Add(consoleCopy);
        }

        previousLevel = configuration.Variables.TryGetValue("minLevel", out var level) ? level.ToString() : null;
        configuration.Variables["minLevel"] = "Trace";
        LogManager.ReconfigExistingLoggers();
    }

    public IReadOnlyList<string> Lines
    {
        get
        {
            LogManager.Flush();
            return [.. target.Logs];
        }
    }

    /// <summary>The same events as the console layout renders them.</summary>
    public IReadOnlyList<string> ConsoleLines
    {
        get
        {
            LogManager.Flush();
            return [.. consoleCopy.Logs];
        }
    }

    /// <summary>Every line of both renderings.</summary>
    public string Text => string.Join('\n', Lines.Concat(ConsoleLines));

    public void Dispose()
    {
        foreach (var rule in rules)
        {
            rule.Targets.Remove(target);
            rule.Targets.Remove(consoleCopy);
        }

        if (previousLevel is not null)
        {
            configuration.Variables["minLevel"] = previousLevel;
        }

        configuration.RemoveTarget(target.Name);
        configuration.RemoveTarget(consoleCopy.Name);
        LogManager.ReconfigExistingLoggers();
    }
}
