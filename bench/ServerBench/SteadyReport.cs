using System.Globalization;
using System.Text;

namespace ServerBench;

/// <summary>The steady-change phase's figures as a Markdown table, then the issue's targets at 100,000 users.</summary>
internal static class SteadyReport
{
    private const double TargetP99Ms = 50;
    private const double TargetKilobytesPerChange = 64;

    public static void Print(IReadOnlyList<SteadyRun> runs, Options options)
    {
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine(Invariant($"Steady change (file store): {options.SteadyRate} refreshing /auth/token calls a second for {options.SteadySeconds} s (each user's access token expired; the fake Atlassian rotates the refresh token), then {options.BurstSize} concurrent callbacks; bytes from the server's /proc/<pid>/io write_bytes over both, compactions included."));
        text.AppendLine();
        text.AppendLine("| users | threshold | snapshot | refreshing /auth/token p50 | p99 | callbacks p50 | p99 | changes | written | per change | compactions | journal at SIGKILL | start-up after SIGKILL | acknowledged grants checked | lost |");
        text.AppendLine("| ---: | :--- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in runs)
        {
            var restart = r.Restart is { } s
                ? Invariant($"{s.JournalBytes / 1e6:F1} MB ({100.0 * s.JournalBytes / r.ThresholdBytes:F0}%) | {s.StartUp.TotalSeconds:F2} s | {s.Checked:N0} | {s.Lost}")
                : "– | – | – | –";
            text.AppendLine(Invariant($"| {r.Users:N0} | {r.Threshold} ({r.ThresholdBytes / 1e6:F1} MB) | {r.SnapshotBytes / 1e6:F1} MB | {r.Refresh.P50Ms:F1} ms | {r.Refresh.P99Ms:F1} ms | {r.Callbacks.P50Ms:F1} ms | {r.Callbacks.P99Ms:F1} ms | {r.Changes:N0} | {r.WrittenBytes / 1e6:F1} MB | {r.KilobytesPerChange:F1} KB | {r.Compactions} | {restart} |"));
        }

        text.AppendLine();
        text.AppendLine("journal at SIGKILL: after the run, more refreshes (8 at a time) fill the journal to 90% of the default threshold; the server is then SIGKILLed, restarted and timed until /health answers; every acknowledged callback's user must be authorized and every acknowledged refresh's token must be the one answered.");
        foreach (var r in runs.Where(r => r.Restart is not null))
        {
            text.AppendLine(Invariant($"{r.Users:N0} users: {r.Restart!.FillRefreshes:N0} refreshes filled the journal ({r.Restart.CompactionsBeforeKill} compactions before the kill); after the restart: \"{r.Restart.LoadLine}\""));
        }

        text.AppendLine();
        text.AppendLine("Targets (steady change, file store, 100,000 users, 2 cores, one run):");
        foreach (var r in runs.Where(r => r.Users == 100_000))
        {
            Target(text, r.Refresh.P99Ms < TargetP99Ms, Invariant($"refreshing /auth/token p99 < {TargetP99Ms} ms, threshold {r.Threshold}: {r.Refresh.P99Ms:F1} ms"));
            Target(text, r.Callbacks.P99Ms < TargetP99Ms, Invariant($"callback p99 < {TargetP99Ms} ms, threshold {r.Threshold}: {r.Callbacks.P99Ms:F1} ms"));
        }

        foreach (var r in runs.Where(r => r.Users == 100_000 && r.Restart is not null))
        {
            Target(text, r.KilobytesPerChange <= TargetKilobytesPerChange, Invariant($"<= {TargetKilobytesPerChange} KB written per change, default threshold: {r.KilobytesPerChange:F1} KB ({r.Compactions} compactions in the run)"));
            Target(text, r.Restart!.StartUp < TimeSpan.FromSeconds(3), Invariant($"start-up after SIGKILL < 3 s with a {r.Restart.JournalBytes / 1e6:F1} MB journal: {r.Restart.StartUp.TotalSeconds:F2} s"));
            Target(text, r.Restart.Lost == 0, Invariant($"zero grants lost: {r.Restart.Lost} of {r.Restart.Checked:N0}"));
        }

        foreach (var group in runs.GroupBy(r => r.Users))
        {
            Amortized(text, group.FirstOrDefault(r => r.Restart is not null), group.FirstOrDefault(r => r.Restart is null));
        }

        Console.Write(text.ToString());
    }

    /// <summary>
    /// The lowered threshold's run measures what a compaction writes; with the default run's cost of an append and
    /// its journal bytes a change, that gives what a change costs over a whole cycle at the default threshold.
    /// </summary>
    private static void Amortized(StringBuilder text, SteadyRun? normal, SteadyRun? lowered)
    {
        if (normal?.Restart is null || lowered is null)
        {
            return;
        }

        var appendBytes = (double)normal.WrittenBytes / normal.Changes;
        text.AppendLine(Invariant($"  [info] {lowered.Users:N0} users, threshold {lowered.Threshold}: {lowered.KilobytesPerChange:F1} KB written per change averaged over the run with its {lowered.Compactions} compactions"));
        if (lowered.Compactions == 0 || normal.Compactions > 0)
        {
            return;
        }

        var perCompaction = (lowered.WrittenBytes - (lowered.Changes * appendBytes)) / lowered.Compactions;
        var lineBytes = (double)normal.Restart.JournalBytes / (normal.Changes + normal.Restart.FillRefreshes);
        var changesPerCycle = normal.ThresholdBytes / lineBytes;
        var amortized = appendBytes + (perCompaction / changesPerCycle);
        text.AppendLine(Invariant($"  [info] {normal.Users:N0} users, default threshold: {appendBytes / 1024:F1} KB an append + a {perCompaction / 1e6:F0} MB compaction every {changesPerCycle:N0} changes ({lineBytes / 1024:F1} KB journal lines) = {amortized / 1024:F1} KB a change over a whole cycle"));
    }

    private static void Target(StringBuilder text, bool met, string description) =>
        text.AppendLine(CultureInfo.InvariantCulture, $"  [{(met ? "met" : "MISSED")}] {description}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
