using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace ServerBench;

/// <summary>
/// Many users finishing authorization at once: each link is asked for and approved at the fake Atlassian first, then
/// all callbacks are sent together; each one exchanges its code, reads the sites and identity and stores the grant.
/// </summary>
internal static class CallbackBurst
{
    public static async Task<BurstResult> RunAsync(Uri server, string apiKey, long firstUser, int count)
    {
        using var handler = new SocketsHttpHandler { AllowAutoRedirect = false, MaxConnectionsPerServer = count + 10 };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromMinutes(2) };
        var callbacks = new ConcurrentBag<(long User, Uri Callback)>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (offset, cancel) =>
        {
            using var start = new HttpRequestMessage(HttpMethod.Get, new Uri(server, $"/auth/start?telegram_user_id={firstUser + offset}"));
            start.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            using var link = await http.SendAsync(start, cancel);
            var authUrl = JsonNode.Parse(await link.EnsureSuccessStatusCode().Content.ReadAsStringAsync(cancel))!["auth_url"]!.GetValue<string>();
            using var consent = await http.GetAsync(new Uri(authUrl), cancel);
            callbacks.Add((firstUser + offset, consent.Headers.Location ?? throw new InvalidOperationException($"consent answered {consent.StatusCode} without a redirect")));
        });

        var started = Stopwatch.GetTimestamp();
        var outcomes = await Task.WhenAll(callbacks.Select(async callback =>
        {
            var sent = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(callback.Callback);
            await response.Content.ReadAsStringAsync();
            return (callback.User, Granted: response.StatusCode == HttpStatusCode.OK, Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
        }));
        var elapsed = Stopwatch.GetElapsedTime(started);
        return new BurstResult(
            outcomes.Count(outcome => outcome.Granted),
            elapsed,
            [.. outcomes.Where(outcome => outcome.Granted).Select(outcome => outcome.User)],
            [.. outcomes.Select(outcome => outcome.TotalMilliseconds)]);
    }
}

/// <summary>A burst's outcome: the users whose callback was answered 200 (acknowledged grants) and each callback's latency.</summary>
internal sealed record BurstResult(int Granted, TimeSpan Elapsed, IReadOnlyList<long> GrantedUsers, IReadOnlyList<double> LatenciesMs);
