using System.Collections.Concurrent;
using System.Net;
using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Tests.OutOfProcess;

/// <summary>
/// The built server killed with SIGKILL while concurrent callbacks are storing grants, again and again: every callback
/// that was answered with the success page must find its grant after the restart, and the file must always parse.
/// With a tiny compaction threshold the kills also land while the journal is sealed and the snapshot rewritten.
/// </summary>
public sealed class CrashTests : ProcessTestBase
{
    private const int Rounds = 4;
    private const int CallbacksPerRound = 120;
    private const int ConcurrentBrowsers = 24;

    // Every simulated browser comes from 127.0.0.1: the per-address callback limit would stop the burst.
    [SetUp]
    public void LiftTheCallbackLimit() => Context.ExtraEnvironment["RATE_LIMIT_CALLBACK"] = "0";

    [TestCase(null, TestName = "Every acknowledged grant survives SIGKILL in the middle of concurrent callbacks")]
    [TestCase("0.02", TestName = "Every acknowledged grant survives SIGKILL in the middle of callbacks and compactions")]
    public async Task Every_acknowledged_grant_survives_SIGKILL(string? compactionMegabytes)
    {
        if (compactionMegabytes is not null)
        {
            Context.ExtraEnvironment["JOURNAL_COMPACTION_MB"] = compactionMegabytes;
        }

        var acknowledged = new ConcurrentDictionary<long, bool>();
        var random = new Random(20240611);
        for (var round = 0; round < Rounds; round++)
        {
            await Context.StartServerAsync();
            await AssertEveryGrantIsServedAsync(acknowledged.Keys, $"after restart {round}");

            var firstUser = 1_000_000L * (round + 1);
            var users = Enumerable.Range(0, CallbacksPerRound).Select(offset => firstUser + offset).ToList();
            var callbacks = await ConsentAllAsync(users);

            // Killed once this many callbacks were answered, so others are certainly still being stored.
            var killAfter = random.Next(CallbacksPerRound / 5, CallbacksPerRound / 2);
            var (answered, unanswered) = await RunCallbacksAndKillAsync(callbacks, killAfter, acknowledged);

            Assert.That(answered, Is.GreaterThanOrEqualTo(killAfter), $"round {round}");
            Assert.That(unanswered, Is.Positive, $"round {round}: the kill came after every callback finished, not in the middle");
            AssertFileHolds(acknowledged.Keys, $"after the kill in round {round}");
            if (compactionMegabytes is not null)
            {
                // No stop was graceful: only a compaction while the server ran can have written the snapshot.
                Assert.That(File.Exists(Context.TokensFile), Is.True, $"round {round}: compactions ran during the callbacks");
            }
        }

        await Context.StartServerAsync();
        await AssertEveryGrantIsServedAsync(acknowledged.Keys, "after the last restart");
        Assert.That(acknowledged, Has.Count.GreaterThanOrEqualTo(Rounds * CallbacksPerRound / 5));
        Assert.That(Directory.GetFiles(Context.Folder, "*.tmp"), Is.Empty, "a start removes what a killed write left behind");
    }

    private async Task<List<KeyValuePair<long, Uri>>> ConsentAllAsync(List<long> users)
    {
        var callbacks = new ConcurrentBag<KeyValuePair<long, Uri>>();
        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (user, _) =>
            callbacks.Add(KeyValuePair.Create(user, await Context.ConsentAsync(user))));
        return [.. callbacks];
    }

    private async Task<(int Answered, int Unanswered)> RunCallbacksAndKillAsync(List<KeyValuePair<long, Uri>> callbacks, int killAfter, ConcurrentDictionary<long, bool> acknowledged)
    {
        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, MaxConnectionsPerServer = ConcurrentBrowsers })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        var enoughAnswered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answered = 0;
        var unanswered = 0;
        using var gate = new SemaphoreSlim(ConcurrentBrowsers);
        var visits = callbacks.Select(async pair =>
        {
            await gate.WaitAsync();
            try
            {
                if (await IsAcknowledgedAsync(browser, pair.Value))
                {
                    acknowledged[pair.Key] = true;
                    if (Interlocked.Increment(ref answered) >= killAfter)
                    {
                        enoughAnswered.TrySetResult();
                    }
                }
                else
                {
                    Interlocked.Increment(ref unanswered);
                }
            }
            finally
            {
                gate.Release();
            }
        }).ToList();

        await Task.WhenAny(enoughAnswered.Task, Task.WhenAll(visits));
        await Context.KillServerAsync();
        await Task.WhenAll(visits);
        return (answered, unanswered);
    }

    /// <summary>Only the whole success page counts: a response cut off by the kill acknowledged nothing.</summary>
    private static async Task<bool> IsAcknowledgedAsync(HttpClient browser, Uri callback)
    {
        try
        {
            using var response = await browser.GetAsync(callback);
            var page = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Assert.That(page, Does.Contain("Jira connected"));
                return true;
            }

            return false;
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or TaskCanceledException)
        {
            return false;
        }
    }

    private async Task AssertEveryGrantIsServedAsync(ICollection<long> users, string when)
    {
        var missing = new ConcurrentBag<long>();
        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (user, _) =>
        {
            using var response = await Context.GetTokenAsync(user);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                missing.Add(user);
            }
        });

        Assert.That(missing, Is.Empty, $"acknowledged grants not served {when} (of {users.Count})");
    }

    private void AssertFileHolds(ICollection<long> users, string when)
    {
        var file = Infrastructure.Storage.StoreFiles.ReadJson(Context.TokensFile);
        var missing = users.Where(user => file[user.ToString(System.Globalization.CultureInfo.InvariantCulture)] is null).ToList();
        Assert.That(missing, Is.Empty, $"acknowledged grants missing from the file {when}");
    }
}
