using System.Diagnostics;
using JiraAuthServer.Infrastructure.Storage;
using JiraAuthServer.Tests.Support;

namespace JiraAuthServer.Tests.Infrastructure.Storage;

/// <summary>
/// Compaction folds the journal into the snapshot in the background while writers go on, and a graceful stop leaves
/// the snapshot alone holding every grant, in a file other programs read.
/// </summary>
public sealed class JournalCompactionTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly PrefixTestCipher cipher = new();

    [Test]
    public async Task A_graceful_stop_leaves_only_a_snapshot_that_pythons_json_module_reads_with_every_grant()
    {
        using var folder = new TempFolder();
        var expected = new List<long>();
        await using (var repository = StoreFiles.Open(folder.TokensFile))
        {
            for (var user = 1L; user <= 60; user++)
            {
                await repository.SaveAsync(user, GrantBuilder.Full(cipher, user.ToString(System.Globalization.CultureInfo.InvariantCulture)), None);
            }

            for (var user = 10L; user < 20; user++)
            {
                await repository.DeleteAsync(user, None);
            }

            await repository.SaveManyAsync([.. Enumerable.Range(100, 5).Select(user => KeyValuePair.Create((long)user, GrantBuilder.Minimal(cipher, $"{user}")))], None);
            expected.AddRange((await repository.ListAsync(None)).Select(pair => pair.Key));
            Assert.That(folder.FileNames(), Does.Contain("user_tokens.json.journal"));
        }

        Assert.That(folder.FileNames(), Is.EqualTo(StoreFiles.FileAndLock), "the journals are gone");
        Assert.That(expected, Has.Count.EqualTo(55));
        var count = RunPython("import json,sys; d=json.load(open(sys.argv[1])); print(len(d))", folder.TokensFile);
        var users = RunPython("import json,sys; d=json.load(open(sys.argv[1])); print(' '.join(sorted(d, key=int)))", folder.TokensFile);
        Assert.That(count, Is.EqualTo("55"));
        Assert.That(users.Split(' ').Select(long.Parse), Is.EquivalentTo(expected));
    }

    [Test]
    public async Task Compaction_runs_while_saving_goes_on_and_every_grant_survives_it()
    {
        using var folder = new TempFolder();
        using var crashed = new TempFolder();
        const int Users = 600;
        Dictionary<long, string> expected;
        await using (var repository = JsonFileTokenRepository.Open(folder.TokensFile, cipher, compactionThreshold: 20_000))
        {
            await Parallel.ForEachAsync(Enumerable.Range(1, Users), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (user, _) =>
                await repository.SaveAsync(user, GrantBuilder.Full(cipher, $"v1-{user}"), None));
            var compactionsWhileSaving = repository.CompactionCount;
            for (var user = 1L; user <= Users; user += 7)
            {
                await repository.SaveAsync(user, GrantBuilder.Full(cipher, $"v2-{user}"), None);
            }

            Assert.That(compactionsWhileSaving, Is.Positive, "20 KB of journal starts a compaction");
            Assert.That(await Eventually.TrueAsync(() => !folder.FileNames().Any(IsSealedJournal)), Is.True, "a finished compaction leaves no sealed journal");
            var snapshot = StoreFiles.ReadSnapshotJson(folder.TokensFile);
            Assert.That(snapshot.Count, Is.GreaterThan(Users / 2), "the snapshot holds what was compacted");
            Assert.That(StoreFiles.ReadJson(folder.TokensFile).Count, Is.EqualTo(Users), "snapshot and journal hold every grant");

            expected = await StoreFiles.SnapshotAsync(repository);
            TryCopyWhileNothingIsSealed(folder, crashed);
        }

        await using (var afterCrash = StoreFiles.Open(crashed.TokensFile))
        {
            Assert.That(await StoreFiles.SnapshotAsync(afterCrash), Is.EqualTo(expected), "replay of snapshot and journal after a crash");
        }

        Assert.That(folder.FileNames(), Is.EqualTo(StoreFiles.FileAndLock));
        Assert.That(StoreFiles.ReadSnapshotJson(folder.TokensFile).Count, Is.EqualTo(Users));
        await using var reopened = StoreFiles.Open(folder.TokensFile);
        Assert.That(await StoreFiles.SnapshotAsync(reopened), Is.EqualTo(expected));
    }

    [Test]
    public async Task Compaction_of_a_big_store_never_holds_up_a_writer_for_longer_than_an_append()
    {
        using var folder = new TempFolder();
        const int Users = 40_000;
        await using (var filling = StoreFiles.Open(folder.TokensFile))
        {
            await filling.SaveManyAsync([.. Enumerable.Range(1, Users).Select(user => KeyValuePair.Create((long)user, GrantBuilder.Full(cipher, $"{user}")))], None);

            // Warms up the single-save path, so the first timed save is not the one that compiles it.
            await filling.SaveAsync(1, GrantBuilder.Full(cipher, "warm"), None);
        }

        // The filling store's garbage is collected now, not in a pause that lands on a timed save.
        GC.Collect();
        GC.WaitForPendingFinalizers();

        // Every append passes a one-byte threshold: the first save starts a rewrite of the whole snapshot.
        await using var repository = JsonFileTokenRepository.Open(folder.TokensFile, cipher, compactionThreshold: 1);
        var latencies = new List<TimeSpan>();
        var compacting = Stopwatch.StartNew();
        await repository.SaveAsync(Users + 1, GrantBuilder.Full(cipher, "first"), None);
        var user = Users + 2L;
        while (repository.CompactionCount == 0 && compacting.Elapsed < TimeSpan.FromMinutes(1))
        {
            var save = Stopwatch.StartNew();
            await repository.SaveAsync(user++, GrantBuilder.Full(cipher, "during"), None);
            latencies.Add(save.Elapsed);
        }

        var compaction = compacting.Elapsed;
        TestContext.Out.WriteLine($"compaction {compaction.TotalMilliseconds:F1} ms; saves: {string.Join(", ", latencies.Select(l => l.TotalMilliseconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))}");
        Assert.That(repository.CompactionCount, Is.Positive, "the compaction finished");
        Assert.That(latencies, Has.Count.GreaterThanOrEqualTo(3), $"saves that completed during a compaction of {compaction.TotalMilliseconds:F0} ms");
        Assert.That(latencies.Max(), Is.LessThan(compaction / 2), $"the slowest of {latencies.Count} saves during a compaction of {compaction.TotalMilliseconds:F0} ms");

        Assert.That(await Eventually.TrueAsync(() => !folder.FileNames().Any(IsSealedJournal)), Is.True);
        Assert.That(StoreFiles.ReadJson(folder.TokensFile).Count, Is.EqualTo(user - 1));
    }

    private static bool IsSealedJournal(string name) => name.StartsWith("user_tokens.json.journal.", StringComparison.Ordinal);

    /// <summary>A crash's view of the files; retried when a background compaction renames or deletes one mid-copy.</summary>
    private static void TryCopyWhileNothingIsSealed(TempFolder from, TempFolder to)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                foreach (var file in Directory.GetFiles(to.Path))
                {
                    File.Delete(file);
                }

                JournalReplayTests.CopyStoreFiles(from, to);
                return;
            }
            catch (FileNotFoundException) when (attempt < 20)
            {
            }
        }
    }

    private static string RunPython(string script, string path)
    {
        using var python = Process.Start(new ProcessStartInfo("python3") { ArgumentList = { "-c", script, path }, RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = python.StandardOutput.ReadToEnd();
        var error = python.StandardError.ReadToEnd();
        python.WaitForExit();
        Assert.That(python.ExitCode, Is.Zero, error);
        return output.Trim();
    }
}
