using System.Diagnostics;
using System.Net;

namespace ServerBench;

/// <summary>Waits for a started server's <c>/health</c> to answer 200.</summary>
internal static class Health
{
    public static async Task WaitUntilHealthyAsync(ChildProcess process, Uri address)
    {
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(2) };
        var limit = Stopwatch.StartNew();
        while (limit.Elapsed < TimeSpan.FromMinutes(2))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the process exited before it was healthy:\n{process.Log()}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/health", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(10);
        }

        throw new InvalidOperationException($"not healthy within 2 minutes:\n{process.Log()}");
    }
}
