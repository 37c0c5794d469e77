using System.Diagnostics;
using System.Globalization;

namespace ServerBench;

/// <summary>
/// A published program run as <c>dotnet X.dll</c>, its output in a file (a pipe the bench would have to drain costs CPU
/// the server needs), its pid noted in the pid file that bench/run.sh kills on exit.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process process;

    private ChildProcess(Process process, string logFile)
    {
        this.process = process;
        LogFile = logFile;
    }

    public int Id => process.Id;

    public string LogFile { get; }

    public static ChildProcess Start(string dll, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory, string logFile, string pidFile)
    {
        // exec keeps the pid: the shell only sets up the redirection.
        var start = new ProcessStartInfo("/bin/sh") { WorkingDirectory = workingDirectory, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec dotnet \"$@\" >\"$BENCH_LOG\" 2>&1");
        start.ArgumentList.Add("sh");
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["BENCH_LOG"] = logFile;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start)!;
        File.AppendAllText(pidFile, process.Id.ToString(CultureInfo.InvariantCulture) + "\n");
        return new ChildProcess(process, logFile);
    }

    public bool HasExited => process.HasExited;

    /// <summary>For a command that ends by itself (e.g. <c>import-file</c>): its exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    /// <summary>Resident set size now, at its peak, and now without file-backed pages (the runtime's mapped code), from /proc.</summary>
    public (long RssBytes, long PeakRssBytes, long AnonymousBytes) Memory()
    {
        long rss = 0, peak = 0, anonymous = 0;
        foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line) * 1024;
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kilobytes(line) * 1024;
            }
            else if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
            {
                anonymous = Kilobytes(line) * 1024;
            }
        }

        return (rss, peak, anonymous);
    }

    /// <summary>Bytes this process has caused to be written to storage so far (<c>write_bytes</c> in /proc/pid/io).</summary>
    public long WriteBytes() =>
        File.ReadLines($"/proc/{process.Id}/io").Where(line => line.StartsWith("write_bytes:", StringComparison.Ordinal))
            .Select(line => long.Parse(line["write_bytes:".Length..].Trim(), CultureInfo.InvariantCulture)).Single();

    /// <summary>SIGKILL, as a crash or an OOM kill ends it: no graceful stop, no compaction at the end.</summary>
    public async Task KillAsync()
    {
        process.Kill();
        await process.WaitForExitAsync();
    }

    public string Log() => File.Exists(LogFile) ? File.ReadAllText(LogFile) : string.Empty;

    /// <summary>SIGTERM, then SIGKILL if it has not stopped within 15 s.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await process.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
                await process.WaitForExitAsync();
            }
        }

        process.Dispose();
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
