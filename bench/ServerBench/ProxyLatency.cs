using JiraAuthServer.Tests.Fakes;

namespace ServerBench;

/// <summary>
/// A Jira GET through <c>/jira/{id}/rest/...</c> against the fake Jira REST, beside the same GET sent to the fake
/// directly with the user's token: the difference is what the proxy adds (key check, token lookup, path check,
/// YARP forwarding, the log line). One connected user, the same wrk settings as the other phases.
/// </summary>
internal static class ProxyLatency
{
    public static async Task<ProxyResult> MeasureAsync(Options options, FakeAtlassianServer atlassian, IReadOnlyDictionary<string, string> environment, Uri server, string apiKey)
    {
        var folder = Directory.CreateDirectory(Path.Combine(options.WorkFolder, "proxy")).FullName;
        var logs = Directory.CreateDirectory(Path.Combine(options.WorkFolder, "logs")).FullName;
        var settings = new Dictionary<string, string>(environment) { ["TOKENS_FILE"] = Path.Combine(folder, "user_tokens.json") };
        await using var process = ChildProcess.Start(options.ServerDll, ["--urls", server.ToString().TrimEnd('/')], settings, folder, Path.Combine(logs, "proxy.log"), options.PidFile);
        await Health.WaitUntilHealthyAsync(process, server);
        const long User = 1;
        var burst = await CallbackBurst.RunAsync(server, apiKey, User, 1);
        if (burst.Granted != 1)
        {
            throw new InvalidOperationException($"the bench user could not be connected; see {process.LogFile}");
        }

        var accessToken = atlassian.LastIssuedTokens!.AccessToken;
        var jira = new Uri(atlassian.BaseUrl);

        // random-user.lua appends a number from 1 to BENCH_USERS: with 1 it is always issue BENCH-1.
        var directPath = $"/ex/jira/{FakeAtlassianSite.DefaultCloudId}/rest/api/3/issue/BENCH-";
        var proxiedPath = $"/jira/{User}/rest/api/3/issue/BENCH-";
        await Wrk.RunAsync(jira, options.LuaScript, 1, directPath, accessToken, options.Connections, options.WarmUpSeconds);
        var direct = await Wrk.RunAsync(jira, options.LuaScript, 1, directPath, accessToken, options.Connections, options.Seconds);
        await Wrk.RunAsync(server, options.LuaScript, 1, proxiedPath, apiKey, options.Connections, options.WarmUpSeconds);
        var proxied = await Wrk.RunAsync(server, options.LuaScript, 1, proxiedPath, apiKey, options.Connections, options.Seconds);
        if (direct.Non2xx + proxied.Non2xx > 0)
        {
            throw new InvalidOperationException($"non-2xx answers: {direct.Non2xx} direct, {proxied.Non2xx} proxied; see {process.LogFile}");
        }

        return new ProxyResult(direct, proxied);
    }

    public static void Print(ProxyResult result)
    {
        Console.WriteLine();
        Console.WriteLine("Jira GET through the proxy against the fake Jira REST (one user, loopback):");
        Console.WriteLine();
        Console.WriteLine("| call | req/s | p50 | p99 |");
        Console.WriteLine("| :--- | ---: | ---: | ---: |");
        Console.WriteLine($"| fake Jira directly | {result.Direct.RequestsPerSecond:N0} | {result.Direct.P50Ms:F2} ms | {result.Direct.P99Ms:F2} ms |");
        Console.WriteLine($"| through `/jira/{{id}}/...` | {result.Proxied.RequestsPerSecond:N0} | {result.Proxied.P50Ms:F2} ms | {result.Proxied.P99Ms:F2} ms |");
        Console.WriteLine($"| added by the proxy | | {result.Proxied.P50Ms - result.Direct.P50Ms:F2} ms | {result.Proxied.P99Ms - result.Direct.P99Ms:F2} ms |");
    }
}

internal sealed record ProxyResult(Wrk Direct, Wrk Proxied);
