using System.Globalization;
using System.Text;

namespace ServerBench;

/// <summary>The run's figures as one Markdown table, then each target of the issue with the figure that decides it.</summary>
internal static class Report
{
    public static void Print(IReadOnlyList<SizeResult> results, Options options)
    {
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine("| users | store | log level | seed file | start-up | /auth/token req/s | p50 | p99 | /auth/status req/s | p50 | p99 | bare req/s | p50 | p99 | token/bare | status/bare | bare MVC req/s | token/bare MVC | ciphertext held | RSS idle | RSS after load (not file-backed) | RSS peak | bare RSS |");
        text.AppendLine("| ---: | :--- | :--- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in results)
        {
            text.AppendLine(Invariant($"| {r.Users:N0} | {r.Store} | {r.Logging} | {r.FileBytes / 1e6:F1} MB | {r.StartUp.TotalSeconds:F2} s | {Figures(r.Token)} | {Figures(r.Status)} | {Figures(r.Bare)} | {Ratio(r):F0}% | {StatusRatio(r):F0}% | {r.BareMvc.RequestsPerSecond:F0} | {MvcRatio(r):F0}% | {Held(r)} | {r.RssIdleBytes / 1e6:F0} MB | {r.RssBytes / 1e6:F0} MB ({r.AnonymousRssBytes / 1e6:F0} MB) | {r.PeakRssBytes / 1e6:F0} MB | {r.BareRssBytes / 1e6:F0} MB |"));
        }

        text.AppendLine();
        text.AppendLine("bare: a minimal endpoint answering a fixed body of the token's size (the floor of the machine). bare MVC: the same body from an MVC controller action routed and bound like TokenController, nothing else (the floor of MVC controllers, which the design fixes); token/bare MVC is the share of that floor /auth/token reaches.");
        text.AppendLine("ciphertext held: the access and refresh tokens' Fernet bytes (base64url-decoded, as the file store keeps them) summed over the seeded file; the PostgreSQL store reads them from the database.");
        text.AppendLine("log level: Info is the default (one line per request); Warn leaves out the request lines. Rate limits are on (the defaults); /auth/token and /auth/status carry the key, as the bot sends it.");
        MemoryArithmetic.Print(text, results.Where(r => r.Store == "file" && r.Logging == "Info").ToList());

        text.AppendLine();
        foreach (var r in results)
        {
            text.AppendLine(Invariant($"{r.Users:N0} users, {r.Store}, log {r.Logging}: {r.LoadLine}; /auth/token body {r.TokenBodyBytes} bytes (both floors answer the same size)"));
            if (r.Burst is { } burst)
            {
                text.AppendLine(Invariant($"{r.Users:N0} users, {r.Store}: {options.BurstSize} concurrent callbacks, {burst.Granted} granted in {burst.Elapsed.TotalMilliseconds:F0} ms = {burst.Granted / burst.Elapsed.TotalSeconds:F0} grants/s"));
            }
        }

        foreach (var r in results.DistinctBy(r => r.Users))
        {
            text.AppendLine(Invariant($"{r.Users:N0} users: bare MVC action {r.BareMvc.RequestsPerSecond:F0} req/s, p50 {r.BareMvc.P50Ms:F2} ms, p99 {r.BareMvc.P99Ms:F2} ms = {FloorRatio(r):F0}% of the bare endpoint ({r.Bare.RequestsPerSecond:F0} req/s); its RSS {r.BareMvcRssBytes / 1e6:F0} MB"));
        }

        text.AppendLine();
        // The targets are the file store's (the embedded default); the PostgreSQL rows are for comparison.
        text.AppendLine(Invariant($"Targets (file store, default settings, 2 cores, one run, medians of {options.Rounds} rounds):"));
        var fileStore = results.Where(r => r.Store == "file" && r.Logging == "Info").ToList();
        foreach (var r in fileStore)
        {
            Target(text, r, r => Ratio(r) >= 50, r => Invariant($"/auth/token >= 50% of bare at {r.Users:N0} users: {Ratio(r):F0}% ({r.Token.RequestsPerSecond:F0} of {r.Bare.RequestsPerSecond:F0} req/s)"));
            Target(text, r, r => r.Token.P99Ms < 3, r => Invariant($"/auth/token p99 < 3 ms at {r.Users:N0} users: {r.Token.P99Ms:F2} ms"));
            Target(text, r, r => StatusRatio(r) >= 60, r => Invariant($"/auth/status >= 60% of bare at {r.Users:N0} users: {StatusRatio(r):F0}% ({r.Status.RequestsPerSecond:F0} req/s)"));
        }

        foreach (var r in results.Where(r => r.Store == "file" && r.Logging != "Info"))
        {
            text.AppendLine(Invariant($"  [info] LOG_LEVEL={r.Logging} at {r.Users:N0} users: /auth/token {Ratio(r):F0}% of bare, p99 {r.Token.P99Ms:F2} ms; /auth/status {StatusRatio(r):F0}% of bare"));
        }

        foreach (var r in fileStore)
        {
            text.AppendLine(Invariant($"  [info] MVC floor at {r.Users:N0} users: an MVC action with a fixed body reaches {FloorRatio(r):F0}% of the bare endpoint; /auth/token reaches {MvcRatio(r):F0}% of that action"));
        }

        Target(text, fileStore.FirstOrDefault(r => r.Users == 100_000), r => r.RssBytes < 300_000_000, r => Invariant($"RSS < 300 MB at 100,000 users: {r.RssBytes / 1e6:F0} MB ({r.AnonymousRssBytes / 1e6:F0} MB of it not file-backed)"));
        Target(text, fileStore.FirstOrDefault(r => r.Users == 100_000), r => r.StartUp < TimeSpan.FromSeconds(3), r => Invariant($"start-up < 3 s at 100,000 users: {r.StartUp.TotalSeconds:F2} s"));
        Console.Write(text.ToString());
    }

    private static string Figures(Wrk w) => Invariant($"{w.RequestsPerSecond:F0} | {w.P50Ms:F2} ms | {w.P99Ms:F2} ms");

    private static double Ratio(SizeResult r) => 100 * r.Token.RequestsPerSecond / r.Bare.RequestsPerSecond;

    private static double StatusRatio(SizeResult r) => 100 * r.Status.RequestsPerSecond / r.Bare.RequestsPerSecond;

    private static double MvcRatio(SizeResult r) => 100 * r.Token.RequestsPerSecond / r.BareMvc.RequestsPerSecond;

    private static double FloorRatio(SizeResult r) => 100 * r.BareMvc.RequestsPerSecond / r.Bare.RequestsPerSecond;

    private static string Held(SizeResult r) => r.Store == "file" ? Invariant($"{r.CiphertextBytes / 1e6:F1} MB") : "–";

    private static void Target(StringBuilder text, SizeResult? result, Func<SizeResult, bool> met, Func<SizeResult, string> describe)
    {
        if (result is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  [{(met(result) ? "met" : "MISSED")}] {describe(result)}");
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
