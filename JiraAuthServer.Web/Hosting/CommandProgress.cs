using System.Diagnostics;
using System.Globalization;
using JiraAuthServer.Core.Storage;

namespace JiraAuthServer.Web.Hosting;

/// <summary>
/// A long command's progress on stderr (stdout keeps its result lines): the count and the rate at most once a
/// second and when the last grant is done, then <see cref="WriteSummary"/>'s one line.
/// </summary>
public sealed class CommandProgress(string command, TextWriter output) : IProgress<GrantProgress>
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(1);
    private readonly Stopwatch elapsed = Stopwatch.StartNew();
    private TimeSpan lastWritten = TimeSpan.MinValue;
    private GrantProgress last;

    public void Report(GrantProgress value)
    {
        last = value;
        var now = elapsed.Elapsed;
        var finished = value.Done == value.Total && value.Total > 0;
        if (value.Done > 0 && (finished || now - lastWritten >= Every))
        {
            lastWritten = now;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{command}: {value.Done:N0} of {value.Total:N0} grants ({Rate(value.Done, now):N0}/s)"));
        }
    }

    /// <param name="what">What was done to the grants, such as "re-encrypted or checked".</param>
    public void WriteSummary(string what)
    {
        var now = elapsed.Elapsed;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{command}: done, {last.Done:N0} grants {what} in {now.TotalSeconds:F1} s ({Rate(last.Done, now):N0}/s)"));
    }

    private static double Rate(int done, TimeSpan time) => time > TimeSpan.Zero ? done / time.TotalSeconds : 0;
}
