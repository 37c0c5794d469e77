using JiraAuthServer.Core.Authorization;
using JiraAuthServer.Infrastructure.Storage;
using JiraAuthServer.Tests.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace JiraAuthServer.Tests.Infrastructure.Storage;

public sealed class JsonFileAuthStateStoreTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(15);
    private FakeTimeProvider clock = null!;
    private TempFolder folder = null!;

    private string StatesFile => folder.File("user_tokens.json.states");

    private string JournalFile => StatesFile + ".journal";

    [SetUp]
    public void SetUp()
    {
        clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
        folder = new TempFolder();
    }

    [TearDown]
    public void TearDown() => folder.Dispose();

    [Test]
    public async Task A_state_issued_before_a_restart_is_taken_after_it_once()
    {
        var pending = Pending("state-one", 501);
        await using (var store = Open())
        {
            await store.AddAsync(pending, None);
        }

        await using (var restarted = Open())
        {
            Assert.That(await restarted.TakeAsync("state-one", None), Is.EqualTo(pending));
        }

        await using var again = Open();
        Assert.That(await again.TakeAsync("state-one", None), Is.Null, "a used state stays used across a restart");
    }

    [Test]
    public async Task A_take_returns_only_once_the_file_no_longer_holds_the_state()
    {
        await using var store = Open();
        await store.AddAsync(Pending("state-one", 501), None);

        await store.TakeAsync("state-one", None);

        using var crashed = CopyOfFiles();
        await using var reader = JsonFileAuthStateStore.Open(crashed.File("user_tokens.json.states"), clock);
        Assert.That(reader.Count, Is.Zero);
    }

    [Test]
    public async Task Concurrent_takes_of_one_state_let_exactly_one_win()
    {
        await using var store = Open();
        await store.AddAsync(Pending("contested", 7), None);

        var takes = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => store.TakeAsync("contested", None))));

        Assert.That(takes.Count(taken => taken is not null), Is.EqualTo(1));
    }

    [Test]
    public async Task Many_concurrent_adds_all_reach_the_file()
    {
        await using (var store = Open())
        {
            await Task.WhenAll(Enumerable.Range(1, 300).Select(user => Task.Run(() => store.AddAsync(Pending($"state-{user}", user), None))));
        }

        await using var reopened = Open();
        Assert.That(reopened.Count, Is.EqualTo(300));
        Assert.That((await reopened.TakeAsync("state-150", None))?.TelegramUserId, Is.EqualTo(150));
    }

    [Test]
    public async Task The_files_hold_digests_readable_by_the_owner_only_never_a_state()
    {
        await using (var store = Open())
        {
            await store.AddAsync(Pending("Vb3-secret-state-value", 501), None);
            AssertHoldsDigestOnly(JournalFile, "\"telegram_user_id\": 501");
        }

        AssertHoldsDigestOnly(StatesFile, "\"telegram_user_id\":501");
    }

    [Test]
    public async Task An_expired_state_is_returned_as_such_so_the_caller_can_say_expired()
    {
        await using var store = Open();
        await store.AddAsync(Pending("old", 501), None);
        clock.Advance(Ttl);

        var taken = await store.TakeAsync("old", None);

        Assert.That(taken?.ExpiresAt, Is.LessThanOrEqualTo(clock.GetUtcNow()));
    }

    [Test]
    public async Task Expired_states_are_dropped_at_the_next_write_and_when_loading()
    {
        await using (var store = Open())
        {
            await store.AddAsync(Pending("first", 1), None);
            clock.Advance(Ttl + TimeSpan.FromSeconds(1));
            await store.AddAsync(Pending("second", 2), None);
            Assert.That(store.Count, Is.EqualTo(1));
        }

        Assert.That(await File.ReadAllTextAsync(StatesFile), Does.Not.Contain("\"telegram_user_id\":1,"), "the snapshot leaves expired states out");
        Assert.That(await File.ReadAllTextAsync(StatesFile), Does.Contain("\"telegram_user_id\":2,"));

        clock.Advance(Ttl + TimeSpan.FromSeconds(1));
        await using var reopened = Open();
        Assert.That(reopened.Count, Is.Zero);
        Assert.That(await reopened.TakeAsync("second", None), Is.Null);
    }

    [Test]
    public async Task The_store_keeps_at_most_its_capacity_dropping_the_soonest_to_expire()
    {
        await using var store = Open(capacity: 3);
        for (var user = 1; user <= 5; user++)
        {
            await store.AddAsync(Pending($"state-{user}", user), None);
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.That(store.Count, Is.EqualTo(3));
        Assert.That(await store.TakeAsync("state-1", None), Is.Null);
        Assert.That(await store.TakeAsync("state-2", None), Is.Null);
        Assert.That((await store.TakeAsync("state-5", None))?.TelegramUserId, Is.EqualTo(5));
    }

    [Test]
    public async Task Forged_states_cost_no_write()
    {
        await using var store = Open();
        await store.AddAsync(Pending("real", 1), None);
        var writes = store.WriteCount;

        for (var attempt = 0; attempt < 50; attempt++)
        {
            Assert.That(await store.TakeAsync($"forged-{attempt}", None), Is.Null);
        }

        Assert.That(store.WriteCount, Is.EqualTo(writes));
    }

    [Test]
    public async Task A_damaged_file_starts_empty_with_a_warning_and_is_replaced_at_the_next_write()
    {
        await File.WriteAllTextAsync(StatesFile, "{\"version\":1,\"states\":[{\"sha256\":");
        var logger = new RecordingLogger<JsonFileAuthStateStore>();

        await using (var store = JsonFileAuthStateStore.Open(StatesFile, clock, logger))
        {
            Assert.That(store.Count, Is.Zero);
            await store.AddAsync(Pending("fresh", 3), None);
        }

        Assert.That(logger.Lines, Has.Some.Contains("could not be read"));
        await using var reopened = Open();
        Assert.That((await reopened.TakeAsync("fresh", None))?.TelegramUserId, Is.EqualTo(3));
    }

    [Test]
    public async Task A_failed_write_applies_nothing_an_unstored_take_can_be_retried()
    {
        await using var store = Open();
        await store.AddAsync(Pending("kept", 9), None);
        var good = await File.ReadAllBytesAsync(JournalFile);
        File.Delete(JournalFile);
        Directory.CreateDirectory(JournalFile);

        Assert.That(async () => await store.AddAsync(Pending("new", 10), None), Throws.TypeOf<TokenStoreWriteException>());
        Assert.That(async () => await store.TakeAsync("kept", None), Throws.TypeOf<TokenStoreWriteException>());

        Directory.Delete(JournalFile);
        await File.WriteAllBytesAsync(JournalFile, good);
        Assert.That(await store.TakeAsync("new", None), Is.Null, "the failed add was not issued");
        Assert.That((await store.TakeAsync("kept", None))?.TelegramUserId, Is.EqualTo(9), "the failed take did not use the state up");
        Assert.That(folder.FileNames(), Is.EqualTo(new[] { "user_tokens.json.states.journal" }), "no temporary file is left behind");
        Assert.That(File.ReadAllLines(JournalFile), Has.Length.EqualTo(2), "the refused changes left no line: one add, one take");
    }

    private static void AssertHoldsDigestOnly(string path, string user)
    {
        var text = File.ReadAllText(path);
        Assert.That(text, Does.Not.Contain("Vb3-secret-state-value"), path);
        Assert.That(text, Does.Contain(user), path);
        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), path);
        }
    }

    /// <summary>The files as a crash would leave them now: the store is not stopped and compacts nothing.</summary>
    private TempFolder CopyOfFiles()
    {
        var copy = new TempFolder();
        foreach (var name in folder.FileNames())
        {
            File.Copy(folder.File(name), copy.File(name));
        }

        return copy;
    }

    private JsonFileAuthStateStore Open(int capacity = JsonFileAuthStateStore.DefaultCapacity) =>
        JsonFileAuthStateStore.Open(StatesFile, clock, capacity: capacity);

    private PendingAuthorization Pending(string state, long user) => new(state, user, clock.GetUtcNow() + Ttl);
}
