using System.Globalization;

namespace ServerBench;

internal sealed record Options(
    string ServerDll,
    string BareDll,
    string LuaScript,
    string WorkFolder,
    string PidFile,
    string ClusterFile,
    IReadOnlyList<string> Stores,
    IReadOnlyList<int> Users,
    int Seconds,
    int WarmUpSeconds,
    int Connections,
    int BurstUsers,
    int BurstSize,
    string Steady,
    int SteadyRate,
    int SteadySeconds,
    string SteadyCompactionMb,
    string Proxy,
    int Rounds)
{
    /// <summary>The throughput, latency and memory phases (all but the steady-change and proxy phases).</summary>
    public bool Throughput => Steady != "only" && Proxy != "only";

    public bool SteadyChange => Steady != "off" && Proxy != "only";

    public bool ProxyLatency => Proxy != "off";

    public static Options Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        string Required(string name) => values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required");
        int Number(string name, int fallback) => values.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

        return new Options(
            Required("server"),
            Required("bare"),
            Required("lua"),
            Required("work"),
            Required("pids"),
            Required("clusters"),
            ParseStores(values.TryGetValue("store", out var stores) ? stores : "file"),
            (values.TryGetValue("users", out var users) ? users : "1000,10000,100000")
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(size => int.Parse(size.Replace("_", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture))
                .ToList(),
            Number("duration", 10),
            Number("warmup", 10),
            Number("connections", 32),
            Number("burst-users", 10_000),
            Number("burst", 500),
            ParseSteady(values.TryGetValue("steady", out var steady) ? steady : "off"),
            Number("steady-rate", 20),
            Number("steady-seconds", 30),
            values.TryGetValue("steady-compaction-mb", out var lowered) ? lowered : "2",
            ParseOnOffOnly("proxy", values.TryGetValue("proxy", out var proxy) ? proxy : "off"),
            Math.Max(1, Number("rounds", 3)));
    }

    private static string ParseOnOffOnly(string name, string text) =>
        text is "off" or "on" or "only" ? text : throw new ArgumentException($"--{name} takes off, on or only, not '{text}'");

    private static string ParseSteady(string text) =>
        text is "off" or "on" or "only" ? text : throw new ArgumentException($"--steady takes off, on or only, not '{text}'");

    private static List<string> ParseStores(string text)
    {
        var stores = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(store => store.ToLowerInvariant()).Distinct().ToList();
        var unknown = stores.Where(store => store is not ("file" or "postgres")).ToList();
        return unknown.Count > 0 || stores.Count == 0
            ? throw new ArgumentException($"--store takes file, postgres or file,postgres, not '{text}'")
            : stores;
    }
}
