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
    public static async Task<(int Granted, TimeSpan Elapsed)> RunAsync(Uri server, string apiKey, long firstUser, int count)
    {
        using var handler = new SocketsHttpHandler { AllowAutoRedirect = false, MaxConnectionsPerServer = count + 10 };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromMinutes(2) };
        var callbacks = new ConcurrentBag<Uri>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (offset, cancel) =>
        {
            using var start = new HttpRequestMessage(HttpMethod.Get, new Uri(server, $"/auth/start?telegram_user_id={firstUser + offset}"));
            start.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            using var link = await http.SendAsync(start, cancel);
            var authUrl = JsonNode.Parse(await link.EnsureSuccessStatusCode().Content.ReadAsStringAsync(cancel))!["auth_url"]!.GetValue<string>();
            using var consent = await http.GetAsync(new Uri(authUrl), cancel);
            callbacks.Add(consent.Headers.Location ?? throw new InvalidOperationException($"consent answered {consent.StatusCode} without a redirect"));
        });

        var started = Stopwatch.GetTimestamp();
        var outcomes = await Task.WhenAll(callbacks.Select(async callback =>
        {
            using var response = await http.GetAsync(callback);
            await response.Content.ReadAsStringAsync();
            return response.StatusCode == HttpStatusCode.OK;
        }));
        return (outcomes.Count(granted => granted), Stopwatch.GetElapsedTime(started));
    }
}
