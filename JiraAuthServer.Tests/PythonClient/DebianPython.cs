using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace JiraAuthServer.Tests.PythonClient;

/// <summary>
/// Debian's own <c>/usr/bin/python3</c>, where <c>python3-httpx</c> and <c>python3-pytest</c> install (a pyenv
/// python3 first on PATH would not see them), run as a child process with its output captured.
/// </summary>
internal static class DebianPython
{
    public const string Executable = "/usr/bin/python3";

    private static readonly Lazy<string?> Missing = new(FindWhatIsMissing);

    /// <summary>Why the Python client's tests cannot run here, or null when they can.</summary>
    public static string? WhatIsMissing => Missing.Value;

    public static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyList<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment, TimeSpan limit)
    {
        var start = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Nothing written into the repository, and no proxy between the client and the loopback server.
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        foreach (var proxy in new[] { "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy" })
        {
            start.Environment.Remove(proxy);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = new Process { StartInfo = start };
        var output = new StringBuilder();
        process.OutputDataReceived += (_, line) => Append(output, line.Data);
        process.ErrorDataReceived += (_, line) => Append(output, line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Append(output, $"(stopped: python3 did not finish within {limit.TotalSeconds} s)");
            return (-1, Text(output));
        }

        // The exit can be seen before the last lines of output arrive; this waits for them.
        process.WaitForExit();
        return (process.ExitCode, Text(output));
    }

    private static string? FindWhatIsMissing()
    {
        if (!File.Exists(Executable))
        {
            return $"{Executable} is not installed (apt-get install python3 python3-httpx python3-pytest)";
        }

        try
        {
            var (exitCode, output) = RunAsync(["-c", "import httpx, pytest"], Path.GetTempPath(), new Dictionary<string, string>(), TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
            return exitCode == 0 ? null : $"{Executable} lacks httpx or pytest (apt-get install python3-httpx python3-pytest): {output.Trim()}";
        }
        catch (Win32Exception exception)
        {
            return $"{Executable} cannot be run: {exception.Message}";
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
