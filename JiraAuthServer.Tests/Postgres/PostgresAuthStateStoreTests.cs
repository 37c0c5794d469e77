using JiraAuthServer.Core.Authorization;
using JiraAuthServer.Infrastructure.Postgres;
using Microsoft.Extensions.Time.Testing;

namespace JiraAuthServer.Tests.Postgres;

/// <summary>Pending states shared by two server processes (two pools on one database).</summary>
public sealed class PostgresAuthStateStoreTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private TestDatabase database = null!;
    private PostgresAuthStateStore first = null!;
    private PostgresAuthStateStore second = null!;

    [SetUp]
    public async Task SetUp()
    {
        database = await TestDatabase.CreateAsync();
        first = new PostgresAuthStateStore(database.Open(), clock);
        second = new PostgresAuthStateStore(database.Open(), clock);
    }

    [TearDown]
    public async Task TearDown() => await database.DisposeAsync();

    [Test]
    public async Task A_state_issued_by_one_process_is_taken_by_another_once()
    {
        var pending = new PendingAuthorization("state-abc", 42, clock.GetUtcNow().AddMinutes(15));
        await first.AddAsync(pending, None);

        var taken = await second.TakeAsync("state-abc", None);

        Assert.That(taken, Is.EqualTo(pending));
        Assert.That(await first.TakeAsync("state-abc", None), Is.Null);
        Assert.That(await second.TakeAsync("state-abc", None), Is.Null);
    }

    [Test]
    public async Task Of_many_simultaneous_takes_across_processes_exactly_one_gets_the_state()
    {
        await first.AddAsync(new PendingAuthorization("contested", 42, clock.GetUtcNow().AddMinutes(15)), None);

        var takes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? first : second).TakeAsync("contested", None)));

        Assert.That(takes.Count(taken => taken is not null), Is.EqualTo(1));
    }

    [Test]
    public async Task An_unknown_state_is_null()
    {
        Assert.That(await first.TakeAsync("never-issued", None), Is.Null);
    }

    [Test]
    public async Task Expired_states_are_purged_when_a_new_one_is_issued()
    {
        await first.AddAsync(new PendingAuthorization("old", 1, clock.GetUtcNow().AddMinutes(15)), None);
        await first.AddAsync(new PendingAuthorization("young", 2, clock.GetUtcNow().AddMinutes(30)), None);
        clock.Advance(TimeSpan.FromMinutes(20));

        await second.AddAsync(new PendingAuthorization("new", 3, clock.GetUtcNow().AddMinutes(15)), None);

        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM jira_auth_states"), Is.EqualTo(2));
        Assert.That(await first.TakeAsync("old", None), Is.Null);
        Assert.That((await first.TakeAsync("young", None))?.TelegramUserId, Is.EqualTo(2));
    }

    [Test]
    public async Task An_expired_state_not_yet_purged_comes_back_with_its_expiry_for_the_caller_to_refuse()
    {
        var expiresAt = clock.GetUtcNow().AddMinutes(15);
        await first.AddAsync(new PendingAuthorization("late", 1, expiresAt), None);
        clock.Advance(TimeSpan.FromMinutes(16));

        var taken = await second.TakeAsync("late", None);

        Assert.That(taken!.ExpiresAt, Is.EqualTo(expiresAt));
    }

    [Test]
    public async Task Only_a_hash_of_the_state_is_stored()
    {
        await first.AddAsync(new PendingAuthorization("plain-state-value", 1, clock.GetUtcNow().AddMinutes(15)), None);

        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM jira_auth_states WHERE position(convert_to('plain-state-value', 'UTF8') in state_hash) > 0"), Is.Zero);
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM jira_auth_states WHERE state_hash = sha256(convert_to('plain-state-value', 'UTF8'))"), Is.EqualTo(1));
    }
}
