using JiraAuthServer.Core.Authorization;
using JiraAuthServer.Infrastructure.Storage;
using JiraAuthServer.Tests.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace JiraAuthServer.Tests.Infrastructure.Storage;

/// <summary>The pending states' snapshot and journal: what is on disk after adds, takes, crashes and stops.</summary>
public sealed class JsonFileAuthStateJournalTests
{
    private const string Snapshot = "user_tokens.json.states";
    private const string Journal = "user_tokens.json.states.journal";
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(15);
    private FakeTimeProvider clock = null!;
    private TempFolder folder = null!;

    [SetUp]
    public void SetUp()
    {
        clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
        folder = new TempFolder();
    }

    [TearDown]
    public void TearDown() => folder.Dispose();

    [Test]
    public async Task An_add_appends_one_short_line_and_leaves_a_snapshot_of_ten_thousand_states_alone()
    {
        await using (var filling = Open(folder))
        {
            await Task.WhenAll(Enumerable.Range(1, 10_000).Select(user => filling.AddAsync(Pending($"state-{user}", user), None)));
        }

        var snapshot = await File.ReadAllBytesAsync(folder.File(Snapshot));
        Assert.That(snapshot, Has.Length.GreaterThan(500_000), "the snapshot holds the 10,000 states");
        await using var store = Open(folder);

        await store.AddAsync(Pending("one-more", 10_001), None);
        var afterOne = new FileInfo(folder.File(Journal)).Length;
        await store.AddAsync(Pending("and-another", 10_002), None);
        var afterTwo = new FileInfo(folder.File(Journal)).Length;

        Assert.That(File.ReadAllLines(folder.File(Journal)), Has.Length.EqualTo(2));
        Assert.That(afterOne, Is.InRange(100, 300));
        Assert.That(afterTwo - afterOne, Is.InRange(100, 300));
        Assert.That(await File.ReadAllBytesAsync(folder.File(Snapshot)), Is.EqualTo(snapshot), "the snapshot is not rewritten per add");
    }

    [Test]
    public async Task A_take_appends_a_line_of_the_digest_only()
    {
        await using var store = Open(folder);
        await store.AddAsync(Pending("Vb3-secret", 501), None);

        await store.TakeAsync("Vb3-secret", None);

        var lines = File.ReadAllLines(folder.File(Journal));
        Assert.That(lines, Has.Length.EqualTo(2));
        Assert.That(lines[0], Does.StartWith("{\"seq\": 1, \"op\": \"add\", \"sha256\": \"").And.Contain("\"telegram_user_id\": 501, \"expires_at\": \""));
        Assert.That(lines[1], Does.StartWith("{\"seq\": 2, \"op\": \"take\", \"sha256\": \"").And.Not.Contain("telegram_user_id"));
        Assert.That(lines, Has.All.Not.Contain("Vb3-secret"));
    }

    [Test]
    public async Task A_restart_without_a_graceful_stop_keeps_issued_links_and_used_up_states()
    {
        await using var store = Open(folder);
        await store.AddAsync(Pending("issued", 1), None);
        await store.AddAsync(Pending("used", 2), None);
        await store.TakeAsync("used", None);

        using var crashed = CopyOf(folder);
        Assert.That(crashed.FileNames(), Is.EqualTo(new[] { Journal }), "nothing but the journal holds the changes");
        await using var restarted = Open(crashed);
        Assert.That(restarted.Count, Is.EqualTo(1));
        Assert.That(await restarted.TakeAsync("used", None), Is.Null, "a used state stays used");
        Assert.That(await restarted.TakeAsync("issued", None), Is.EqualTo(Pending("issued", 1)));
    }

    [Test]
    public async Task A_restart_from_the_journal_drops_expired_states_and_keeps_the_capacity()
    {
        await using var store = Open(folder, capacity: 3);
        for (var user = 1; user <= 5; user++)
        {
            await store.AddAsync(Pending($"state-{user}", user), None);
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        using var crashed = CopyOf(folder);
        await using (var restarted = Open(crashed, capacity: 3))
        {
            Assert.That(restarted.Count, Is.EqualTo(3));
            Assert.That(await restarted.TakeAsync("state-2", None), Is.Null, "the soonest to expire went");
            Assert.That((await restarted.TakeAsync("state-3", None))?.TelegramUserId, Is.EqualTo(3));
        }

        using var later = CopyOf(folder);
        clock.Advance(Ttl - TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        await using var afterExpiry = Open(later, capacity: 3);
        Assert.That(afterExpiry.Count, Is.EqualTo(1), "states 3 and 4 expired; 5 is live");
    }

    [Test]
    public async Task A_graceful_stop_leaves_only_the_snapshot_holding_every_live_state()
    {
        await using (var store = Open(folder))
        {
            await store.AddAsync(Pending("kept", 1), None);
            await store.AddAsync(Pending("used", 2), None);
            await store.TakeAsync("used", None);
        }

        Assert.That(folder.FileNames(), Is.EqualTo(new[] { Snapshot }));
        await using var reopened = Open(folder);
        Assert.That(reopened.Count, Is.EqualTo(1));
        Assert.That((await reopened.TakeAsync("kept", None))?.TelegramUserId, Is.EqualTo(1));
    }

    [Test]
    public async Task A_torn_tail_is_dropped_with_a_warning_and_the_next_append_replays()
    {
        await using var store = Open(folder);
        await store.AddAsync(Pending("first", 1), None);
        await store.AddAsync(Pending("second", 2), None);
        using var crashed = CopyOf(folder);
        await File.AppendAllTextAsync(crashed.File(Journal), "{\"seq\": 3, \"op\": \"add\", \"sha256\": \"abc");
        var logger = new RecordingLogger<JsonFileAuthStateStore>();

        await using (var restarted = JsonFileAuthStateStore.Open(crashed.File(Snapshot), clock, logger))
        {
            Assert.That(restarted.Count, Is.EqualTo(2));
            await restarted.AddAsync(Pending("third", 3), None);

            using var crashedAgain = CopyOf(crashed);
            var quiet = new RecordingLogger<JsonFileAuthStateStore>();
            await using var again = JsonFileAuthStateStore.Open(crashedAgain.File(Snapshot), clock, quiet);
            Assert.That(again.Count, Is.EqualTo(3), "the new line follows the whole ones, not the torn one");
            Assert.That(quiet.Lines, Has.None.Contains("Dropped").And.None.Contains("damaged"));
        }

        Assert.That(logger.Lines, Has.Some.Contains("Dropped the end of the pending states journal").And.Some.Contains("line 3"));
    }

    [Test]
    public async Task A_damaged_journal_line_is_named_in_a_warning_and_later_appends_are_not_behind_it()
    {
        await using var store = Open(folder);
        await store.AddAsync(Pending("before", 1), None);
        await store.AddAsync(Pending("damaged", 2), None);
        await store.AddAsync(Pending("after", 3), None);
        using var crashed = CopyOf(folder);
        var lines = File.ReadAllLines(crashed.File(Journal));
        lines[1] = lines[1].Replace("\"telegram_user_id\": 2", "\"telegram_user_id\": 9", StringComparison.Ordinal);
        await File.WriteAllLinesAsync(crashed.File(Journal), lines);
        var logger = new RecordingLogger<JsonFileAuthStateStore>();

        await using (var restarted = JsonFileAuthStateStore.Open(crashed.File(Snapshot), clock, logger))
        {
            Assert.That(logger.Lines, Has.Some.Contains(crashed.File(Journal)).And.Contains("line 2"));
            Assert.That(restarted.Count, Is.EqualTo(1), "what came before the damage is kept");
            await restarted.AddAsync(Pending("new", 4), None);

            using var crashedAgain = CopyOf(crashed);
            var quiet = new RecordingLogger<JsonFileAuthStateStore>();
            await using var again = JsonFileAuthStateStore.Open(crashedAgain.File(Snapshot), clock, quiet);
            Assert.That(quiet.Lines, Has.None.Contains("damaged"));
            Assert.That((await again.TakeAsync("before", None))?.TelegramUserId, Is.EqualTo(1));
            Assert.That((await again.TakeAsync("new", None))?.TelegramUserId, Is.EqualTo(4), "the add after the damage replays");
        }
    }

    [Test]
    public async Task Compaction_with_a_small_threshold_keeps_every_live_state()
    {
        await using var store = Open(folder, compactionThreshold: 2048);
        for (var user = 1; user <= 200; user++)
        {
            await store.AddAsync(Pending($"state-{user}", user), None);
            if (user % 4 == 0)
            {
                await store.TakeAsync($"state-{user}", None);
            }
        }

        await WaitUntilAsync(() => store.CompactionCount >= 3);
        Assert.That(new FileInfo(folder.File(Journal)).Length, Is.LessThan(2048 + 1024), "the journal was cut back");
        using var crashed = CopyOf(folder);
        Assert.That(crashed.FileNames(), Does.Contain(Snapshot));
        await using var restarted = Open(crashed);
        Assert.That(restarted.Count, Is.EqualTo(150));
        for (var user = 1; user <= 200; user++)
        {
            var taken = await restarted.TakeAsync($"state-{user}", None);
            Assert.That(taken?.TelegramUserId, Is.EqualTo(user % 4 == 0 ? null : user), $"state-{user}");
        }
    }

    private static TempFolder CopyOf(TempFolder source)
    {
        var copy = new TempFolder();
        foreach (var name in source.FileNames())
        {
            File.Copy(source.File(name), copy.File(name));
        }

        return copy;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var attempt = 0; attempt < 200 && !condition(); attempt++)
        {
            await Task.Delay(25);
        }

        Assert.That(condition(), "timed out");
    }

    private JsonFileAuthStateStore Open(TempFolder where, int capacity = JsonFileAuthStateStore.DefaultCapacity, long? compactionThreshold = null) =>
        JsonFileAuthStateStore.Open(where.File(Snapshot), clock, capacity: capacity, compactionThreshold: compactionThreshold);

    private PendingAuthorization Pending(string state, long user) => new(state, user, clock.GetUtcNow() + Ttl);
}
