using NLog;
using NLog.Config;
using NLog.Targets;

namespace JiraAuthServer.Tests.Support;

/// <summary>
/// Everything the server's own <c>nlog.config</c> would print, at its most verbose level (<c>LOG_LEVEL=Trace</c>),
/// also kept in memory: a memory target joins every rule that writes to the console, so the config's filters still
/// apply. Every event property and the whole exception are rendered too, not just what the console layout shows.
/// Create it after the server host is built (that is when NLog loads the config).
/// </summary>
public sealed class NLogCapture : IDisposable
{
    private const string Console = "console";
    private readonly LoggingConfiguration configuration;
    private readonly MemoryTarget target;
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
        configuration.AddTarget(target);
        rules = configuration.LoggingRules.Where(rule => rule.Targets.Any(t => t.Name == Console)).ToList();
        Assert.That(rules, Is.Not.Empty, "nlog.config writes nothing to a target named console");
        foreach (var rule in rules)
        {
            rule.Targets.Add(target);
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

    public string Text => string.Join('\n', Lines);

    public void Dispose()
    {
        foreach (var rule in rules)
        {
            rule.Targets.Remove(target);
        }

        if (previousLevel is not null)
        {
            configuration.Variables["minLevel"] = previousLevel;
        }

        configuration.RemoveTarget(target.Name);
        LogManager.ReconfigExistingLoggers();
    }
}
