using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ServerBench;

/// <summary>One wrk run and the figures read from its report.</summary>
internal sealed partial record Wrk(double RequestsPerSecond, double P50Ms, double P99Ms, long Requests, long Non2xx, long SocketErrors)
{
    public static async Task<Wrk> RunAsync(Uri target, string luaScript, int users, string path, string? apiKey, int connections, int seconds)
    {
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-t2", $"-c{connections}", $"-d{seconds}s", "--latency", "-s", luaScript })
        {
            start.ArgumentList.Add(argument);
        }

        if (apiKey is not null)
        {
            start.ArgumentList.Add("-H");
            start.ArgumentList.Add($"Authorization: Bearer {apiKey}");
        }

        start.ArgumentList.Add(target.ToString());
        start.Environment["BENCH_USERS"] = users.ToString(CultureInfo.InvariantCulture);
        start.Environment["BENCH_PATH"] = path;
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk failed ({process.ExitCode}): {error}\n{output}");
        }

        return Parse(output);
    }

    /// <summary>Rounds of one measurement as one: the median of each figure, the counts summed.</summary>
    public static Wrk Median(IReadOnlyList<Wrk> rounds) => new(
        MedianOf(rounds.Select(round => round.RequestsPerSecond)),
        MedianOf(rounds.Select(round => round.P50Ms)),
        MedianOf(rounds.Select(round => round.P99Ms)),
        rounds.Sum(round => round.Requests),
        rounds.Sum(round => round.Non2xx),
        rounds.Sum(round => round.SocketErrors));

    private static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static Wrk Parse(string report)
    {
        var socketErrors = SocketErrorsPattern().Match(report);
        return new Wrk(
            double.Parse(RequestsPerSecondPattern().Match(report).Groups[1].Value, CultureInfo.InvariantCulture),
            Milliseconds(report, "50%"),
            Milliseconds(report, "99%"),
            long.Parse(RequestsPattern().Match(report).Groups[1].Value, CultureInfo.InvariantCulture),
            Non2xxPattern().Match(report) is { Success: true } non2xx ? long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            socketErrors.Success ? socketErrors.Groups.Values.Skip(1).Sum(group => long.Parse(group.Value, CultureInfo.InvariantCulture)) : 0);
    }

    private static double Milliseconds(string report, string percentile)
    {
        var match = Regex.Match(report, $@"^\s+{Regex.Escape(percentile)}\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecondPattern();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex RequestsPattern();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex Non2xxPattern();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrorsPattern();
}
