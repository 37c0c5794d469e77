using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using JiraAuthServer.Tests.Fakes;
using JiraAuthServer.Infrastructure.Storage.Journal;

namespace ServerBench;

/// <summary>
/// The file store under steady change: users whose access token has expired ask for it at a steady rate (each call
/// refreshes against the fake Atlassian, which rotates the refresh token), then a burst of callbacks; the server's
/// <c>write_bytes</c> before and after give the bytes written per change, compactions included. Run twice per size:
/// with the default compaction threshold, then filling the journal close to it, SIGKILL and a timed restart that must
/// still hold every acknowledged grant; and with a lowered threshold, so that compactions happen inside the run.
/// </summary>
internal static partial class SteadyChange
{
    private const string FreshPrefix = "fake-at-";

    private const int WarmUpCalls = 10;

    public static async Task<IReadOnlyList<SteadyRun>> MeasureAsync(SteadyContext context, int users)
    {
        var options = context.Options;
        var perRun = (options.SteadyRate * options.SteadySeconds) + WarmUpCalls;

        // Enough expired users to fill a default-threshold journal with ~3 KB lines, beside the two steady runs.
        var threshold = JournalCompaction.DefaultThreshold(users * 3_500L);
        var expiring = (int)Math.Min(users, (2 * perRun) + (threshold / 3_000));
        var refreshTokens = new Dictionary<long, string>();
        for (long user = 1; user <= expiring; user++)
        {
            refreshTokens[user] = context.Atlassian.IssueTokens(new FakeJiraUser($"5b10ac8d82e05b22cc{user:x6}", $"user{user}@example.com", $"User {user}")).RefreshToken!;
        }

        var seed = Path.Combine(Directory.CreateDirectory(Path.Combine(options.WorkFolder, $"steady-{users}")).FullName, "user_tokens.json");
        await Seeder.SeedAsync(seed, users, context.EncryptionKey, accessBytes: 1500, refreshBytes: 700, refreshTokens);
        Console.WriteLine(Invariant($"[{users:N0} steady] seeded {new FileInfo(seed).Length / 1e6:F1} MB, {expiring:N0} of the users with an expired access token"));

        var first = Enumerable.Range(1, Math.Min(perRun, expiring)).Select(user => (long)user).ToList();
        var fill = Enumerable.Range(perRun + 1, Math.Max(0, expiring - (2 * perRun))).Select(user => (long)user).ToList();
        var second = Enumerable.Range(Math.Max(1, expiring - perRun + 1), Math.Min(perRun, expiring)).Select(user => (long)user).ToList();
        var runs = new List<SteadyRun>
        {
            await RunAsync(context, users, seed, compactionMb: null, first, fill),
            await RunAsync(context, users, seed, options.SteadyCompactionMb, second, fill: null),
        };
        File.Delete(seed);
        return runs;
    }

    private static async Task<SteadyRun> RunAsync(SteadyContext context, int users, string seed, string? compactionMb, List<long> steadyUsers, List<long>? fill)
    {
        var options = context.Options;
        var warmUp = steadyUsers[..WarmUpCalls];
        steadyUsers = steadyUsers[WarmUpCalls..];
        var label = compactionMb is null ? "default" : $"{compactionMb}MB";
        var tag = $"[{users:N0} steady, threshold {label}]";
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(seed)!, label)).FullName;
        var tokensFile = Path.Combine(folder, "user_tokens.json");
        File.Copy(seed, tokensFile, overwrite: true);
        var snapshotBytes = new FileInfo(tokensFile).Length;
        var thresholdBytes = compactionMb is null
            ? JournalCompaction.DefaultThreshold(snapshotBytes)
            : (long)(double.Parse(compactionMb, CultureInfo.InvariantCulture) * (1 << 20));
        var environment = new Dictionary<string, string>(context.Environment) { ["TOKENS_FILE"] = tokensFile };
        if (compactionMb is not null)
        {
            environment["JOURNAL_COMPACTION_MB"] = compactionMb;
        }

        var logs = Directory.CreateDirectory(Path.Combine(options.WorkFolder, "logs")).FullName;
        using var handler = new SocketsHttpHandler { AllowAutoRedirect = false, MaxConnectionsPerServer = 256 };
        using var http = new HttpClient(handler) { BaseAddress = context.Server, Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", context.ApiKey);

        var acknowledged = new ConcurrentDictionary<long, string>();
        var process = ChildProcess.Start(options.ServerDll, ["--urls", context.Server.ToString().TrimEnd('/')], environment, folder, Path.Combine(logs, $"steady-{users}-{label}.log"), options.PidFile);
        Latency refresh, callbacks;
        BurstResult burst;
        long written;
        int changes, compactions;
        SteadyRestart? restart = null;
        await using (process)
        {
            await Health.WaitUntilHealthyAsync(process, context.Server);

            // Warm-up, not measured: the first refreshes and callbacks pay for JIT and new connections.
            await Task.WhenAll(warmUp.Select(user => RefreshAsync(http, user, acknowledged, new ConcurrentBag<double>())));
            var warmUpBurst = await CallbackBurst.RunAsync(context.Server, context.ApiKey, firstUser: users + options.BurstSize + 1, 10);
            var writesBefore = process.WriteBytes();
            var refreshesBefore = context.Atlassian.RefreshCount;

            // A steady rate, whatever the answers take: each call starts on its own schedule.
            var latencies = new ConcurrentBag<double>();
            var clock = Stopwatch.StartNew();
            var calls = new List<Task>();
            for (var i = 0; i < steadyUsers.Count; i++)
            {
                var due = TimeSpan.FromSeconds((double)i / options.SteadyRate) - clock.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due);
                }

                calls.Add(RefreshAsync(http, steadyUsers[i], acknowledged, latencies));
            }

            await Task.WhenAll(calls);
            refresh = Latency.Of([.. latencies]);
            var refreshed = context.Atlassian.RefreshCount - refreshesBefore;
            Console.WriteLine(Invariant($"{tag} {steadyUsers.Count} refreshing /auth/token calls at {options.SteadyRate}/s: {acknowledged.Count - warmUp.Count} fresh, {refreshed} refreshes at the fake; p50 {refresh.P50Ms:F1} ms, p99 {refresh.P99Ms:F1} ms"));
            if (acknowledged.Count != steadyUsers.Count + warmUp.Count)
            {
                throw new InvalidOperationException($"{tag} only {acknowledged.Count} of {steadyUsers.Count} calls answered a refreshed token:\n{process.Log()}");
            }

            burst = await CallbackBurst.RunAsync(context.Server, context.ApiKey, firstUser: users + 1, options.BurstSize);
            callbacks = Latency.Of(burst.LatenciesMs);
            Console.WriteLine(Invariant($"{tag} {options.BurstSize} concurrent callbacks: {burst.Granted} granted in {burst.Elapsed.TotalMilliseconds:F0} ms, p50 {callbacks.P50Ms:F1} ms, p99 {callbacks.P99Ms:F1} ms"));

            // A compaction still running belongs to these changes: let it finish before reading the counter.
            await WaitForSealedJournalsAsync(tokensFile);
            written = process.WriteBytes() - writesBefore;
            changes = steadyUsers.Count + burst.Granted;
            compactions = Compactions(process.Log());
            Console.WriteLine(Invariant($"{tag} {changes} changes, {written / 1e6:F1} MB written = {written / 1024.0 / changes:F1} KB a change, {compactions} compactions; journal now {JournalBytes(tokensFile) / 1e6:F1} MB of {thresholdBytes / 1e6:F1} MB"));

            if (fill is not null)
            {
                restart = await CrashAndRestartAsync(context, process, http, tokensFile, thresholdBytes, fill, acknowledged, [.. burst.GrantedUsers, .. warmUpBurst.GrantedUsers], environment, folder, Path.Combine(logs, $"steady-{users}-{label}-restart.log"), tag);
            }
        }

        return new SteadyRun(users, label, snapshotBytes, thresholdBytes, refresh, steadyUsers.Count, callbacks, burst.Granted, written, changes, compactions, restart);
    }

    /// <summary>Fills the journal to 90% of the threshold with more refreshes, SIGKILLs the server, times the restart until /health answers and checks every acknowledged grant.</summary>
    private static async Task<SteadyRestart> CrashAndRestartAsync(SteadyContext context, ChildProcess process, HttpClient http, string tokensFile, long thresholdBytes, List<long> fill,
        ConcurrentDictionary<long, string> acknowledged, IReadOnlyList<long> granted, Dictionary<string, string> environment, string folder, string log, string tag)
    {
        var target = thresholdBytes * 9 / 10;
        var filled = 0;
        var unused = new ConcurrentBag<double>();
        await Parallel.ForEachAsync(fill, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (user, _) =>
        {
            if (JournalBytes(tokensFile) < target)
            {
                await RefreshAsync(http, user, acknowledged, unused);
                Interlocked.Increment(ref filled);
            }
        });

        var journal = JournalBytes(tokensFile);
        var compactionsBefore = Compactions(process.Log());
        await process.KillAsync();
        Console.WriteLine(Invariant($"{tag} {filled:N0} more refreshes filled the journal to {journal / 1e6:F1} MB ({100.0 * journal / thresholdBytes:F0}% of the threshold; {compactionsBefore} compactions so far); SIGKILL"));

        var started = Stopwatch.StartNew();
        var restarted = ChildProcess.Start(context.Options.ServerDll, ["--urls", context.Server.ToString().TrimEnd('/')], environment, folder, log, context.Options.PidFile);
        await using (restarted)
        {
            await Health.WaitUntilHealthyAsync(restarted, context.Server);
            var startUp = started.Elapsed;
            var loaded = LoadLine().Match(restarted.Log()) is { Success: true } line ? line.Value : "?";

            // Zero lost: every acknowledged callback's user is authorized, every acknowledged refresh's token is the one answered.
            var lost = new ConcurrentBag<string>();
            await Parallel.ForEachAsync(granted, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (user, cancel) =>
            {
                var body = JsonNode.Parse(await http.GetStringAsync(new Uri($"/auth/status/{user}", UriKind.Relative), cancel));
                if (body?["authenticated"]?.GetValue<bool>() != true)
                {
                    lost.Add($"callback of user {user}");
                }
            });
            await Parallel.ForEachAsync(acknowledged, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (pair, cancel) =>
            {
                using var response = await http.GetAsync(new Uri($"/auth/token/{pair.Key}", UriKind.Relative), cancel);
                var token = response.StatusCode == HttpStatusCode.OK ? JsonNode.Parse(await response.Content.ReadAsStringAsync(cancel))?["access_token"]?.GetValue<string>() : null;
                if (token != pair.Value)
                {
                    lost.Add($"refresh of user {pair.Key}");
                }
            });

            Console.WriteLine(Invariant($"{tag} restarted after SIGKILL: healthy in {startUp.TotalSeconds:F2} s ({loaded}); {granted.Count + acknowledged.Count:N0} acknowledged grants checked, {lost.Count} lost{(lost.IsEmpty ? string.Empty : ": " + string.Join(", ", lost.Take(5)))}"));
            return new SteadyRestart(journal, filled, compactionsBefore, startUp, granted.Count + acknowledged.Count, lost.Count, loaded);
        }
    }

    private static async Task RefreshAsync(HttpClient http, long user, ConcurrentDictionary<long, string> acknowledged, ConcurrentBag<double> latencies)
    {
        var sent = Stopwatch.GetTimestamp();
        using var response = await http.GetAsync(new Uri($"/auth/token/{user}", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
        if (response.StatusCode == HttpStatusCode.OK && JsonNode.Parse(body)?["access_token"]?.GetValue<string>() is { } token && token.StartsWith(FreshPrefix, StringComparison.Ordinal))
        {
            acknowledged[user] = token;
        }
    }

    private static async Task WaitForSealedJournalsAsync(string tokensFile)
    {
        var limit = Stopwatch.StartNew();
        while (SealedJournals(tokensFile).Any() && limit.Elapsed < TimeSpan.FromMinutes(2))
        {
            await Task.Delay(50);
        }
    }

    private static IEnumerable<string> SealedJournals(string tokensFile) =>
        Directory.EnumerateFiles(Path.GetDirectoryName(tokensFile)!, Path.GetFileName(tokensFile) + ".journal.*")
            .Where(path => SealedSuffix().IsMatch(path));

    private static long JournalBytes(string tokensFile) =>
        SealedJournals(tokensFile).Append(tokensFile + ".journal").Where(File.Exists).Sum(path => new FileInfo(path).Length);

    /// <summary>Compactions of the token file (not of the pending-states file) the server logged.</summary>
    private static int Compactions(string log) => CompactedLine().Count(log);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\.journal\.\d+$")]
    private static partial Regex SealedSuffix();

    [GeneratedRegex(@"Compacted the journal into \S*user_tokens\.json(?!\.)")]
    private static partial Regex CompactedLine();

    [GeneratedRegex(@"Loaded \d+ grants .* in \d+ ms")]
    private static partial Regex LoadLine();
}

/// <summary>What the steady-change phase needs from the run: the fake Atlassian, the key, the server's address and its environment.</summary>
internal sealed record SteadyContext(Options Options, FakeAtlassianServer Atlassian, string EncryptionKey, Uri Server, string ApiKey, IReadOnlyDictionary<string, string> Environment);

internal sealed record Latency(double P50Ms, double P99Ms)
{
    public static Latency Of(IReadOnlyList<double> samples)
    {
        var sorted = samples.Order().ToArray();
        double At(double share) => sorted.Length == 0 ? double.NaN : sorted[Math.Max(0, (int)Math.Ceiling(share * sorted.Length) - 1)];
        return new Latency(At(0.50), At(0.99));
    }
}

internal sealed record SteadyRun(int Users, string Threshold, long SnapshotBytes, long ThresholdBytes, Latency Refresh, int Refreshes, Latency Callbacks, int Granted, long WrittenBytes, int Changes, int Compactions, SteadyRestart? Restart)
{
    public double KilobytesPerChange => WrittenBytes / 1024.0 / Changes;
}

internal sealed record SteadyRestart(long JournalBytes, int FillRefreshes, int CompactionsBeforeKill, TimeSpan StartUp, int Checked, int Lost, string LoadLine);
