using JiraAuthServer.Core.Storage;
using JiraAuthServer.Infrastructure.Postgres;

namespace JiraAuthServer.Tests.Postgres;

/// <summary>The refresh and keep-alive locks between two server processes (two pools on one database).</summary>
public sealed class AdvisoryLockTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private TestDatabase database = null!;

    [SetUp]
    public async Task SetUp() => database = await TestDatabase.CreateAsync();

    [TearDown]
    public async Task TearDown() => await database.DisposeAsync();

    [Test]
    public async Task A_user_refresh_lock_held_by_one_process_makes_the_other_wait_for_that_user_only()
    {
        await using var processA = new PostgresGrantRefreshLock(database.Open(), Patience);
        await using var processB = new PostgresGrantRefreshLock(database.Open(), Patience);
        var held = await processA.AcquireAsync(42, None);

        var waiting = processB.AcquireAsync(42, None);
        var otherUser = await processB.AcquireAsync(43, None).WaitAsync(Patience);
        await Task.Delay(500);
        Assert.That(waiting.IsCompleted, Is.False, "user 42 is locked by process A");

        await held.DisposeAsync();
        var acquired = await waiting.WaitAsync(Patience);

        await acquired.DisposeAsync();
        await otherUser.DisposeAsync();
    }

    [Test]
    public async Task A_waiter_gives_up_after_the_wait_limit_with_a_store_failure()
    {
        await using var processA = new PostgresGrantRefreshLock(database.Open(), Patience);
        await using var processB = new PostgresGrantRefreshLock(database.Open(), TimeSpan.FromMilliseconds(300));
        await using var held = await processA.AcquireAsync(42, None);

        var failure = Assert.ThrowsAsync<DatabaseUnavailableException>(async () => await processB.AcquireAsync(42, None))!;

        Assert.That(failure, Is.InstanceOf<TokenStoreException>());
        Assert.That(failure.Message, Does.Contain("refresh lock of user 42"));
    }

    [Test]
    public async Task A_lock_whose_session_dies_is_released()
    {
        await using var processA = new PostgresGrantRefreshLock(database.Open(), Patience);
        await using var processB = new PostgresGrantRefreshLock(database.Open(), Patience);
        var held = await processA.AcquireAsync(42, None);
        var waiting = processB.AcquireAsync(42, None);
        await Task.Delay(300);

        // What a killed process looks like to PostgreSQL: its connection ends without an unlock.
        await database.ExecuteAsync(
            $"SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = {AdvisoryLockKeys.RefreshNamespace} AND objid = 42");

        var acquired = await waiting.WaitAsync(Patience);
        await acquired.DisposeAsync();
        await held.DisposeAsync();
    }

    [Test]
    public async Task Releasing_leaves_no_advisory_lock_behind()
    {
        await using var refreshLock = new PostgresGrantRefreshLock(database.Open(), Patience);

        await (await refreshLock.AcquireAsync(42, None)).DisposeAsync();

        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"), Is.Zero);
    }

    [Test]
    public async Task The_keep_alive_pass_runs_on_one_process_at_a_time()
    {
        await using var processA = new PostgresKeepAlivePassLock(database.Open());
        await using var processB = new PostgresKeepAlivePassLock(database.Open());

        var passA = await processA.TryEnterAsync(None);
        var passB = await processB.TryEnterAsync(None);
        Assert.That(passA, Is.Not.Null);
        Assert.That(passB, Is.Null, "process A is running the pass");

        await passA!.DisposeAsync();
        var laterB = await processB.TryEnterAsync(None);
        Assert.That(laterB, Is.Not.Null);
        await laterB!.DisposeAsync();
    }

    [Test]
    public async Task The_refresh_lock_cannot_be_taken_while_the_database_is_down()
    {
        await using var cluster = await PostgresFixture.StartPrivateClusterAsync();
        await using var privateDatabase = await TestDatabase.CreateAsync(cluster);
        await using var refreshLock = new PostgresGrantRefreshLock(privateDatabase.Open(), Patience);
        await cluster.StopServerAsync();

        Assert.That(async () => await refreshLock.AcquireAsync(42, None), Throws.InstanceOf<TokenStoreException>());
    }
}
