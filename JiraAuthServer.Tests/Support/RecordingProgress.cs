using JiraAuthServer.Core.Storage;

namespace JiraAuthServer.Tests.Support;

/// <summary>Keeps every progress report, in order (reported synchronously, unlike <see cref="Progress{T}"/>).</summary>
public sealed class RecordingProgress : IProgress<GrantProgress>
{
    private readonly List<GrantProgress> reports = [];

    public IReadOnlyList<GrantProgress> Reports
    {
        get
        {
            lock (reports)
            {
                return [.. reports];
            }
        }
    }

    public void Report(GrantProgress value)
    {
        lock (reports)
        {
            reports.Add(value);
        }
    }
}
