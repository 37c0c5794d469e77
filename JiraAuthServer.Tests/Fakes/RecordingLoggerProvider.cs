using Microsoft.Extensions.Logging;

namespace JiraAuthServer.Tests.Fakes;

/// <summary>Keeps every formatted log line of every category, for services built by a container.</summary>
public sealed class RecordingLoggerProvider : ILoggerProvider
{
    // The category is not recorded, so one logger serves them all.
    private readonly RecordingLogger<RecordingLoggerProvider> logger = new();

    public IReadOnlyList<string> Lines => logger.Lines;

    public ILogger CreateLogger(string categoryName) => logger;

    public void Dispose()
    {
    }
}
