using JiraAuthServer.Core.Authorization;
using JiraAuthServer.Core.Storage;
using JiraAuthServer.Infrastructure.Postgres;
using JiraAuthServer.Tests.Support;

namespace JiraAuthServer.Tests.Postgres;

/// <summary>The database goes away while the server runs, and comes back: on a cluster of the test's own.</summary>
public sealed class DatabaseOutageTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly PrefixTestCipher cipher = new();
    private PostgresTestCluster cluster = null!;
    private TestDatabase database = null!;

    [SetUp]
    public async Task SetUp()
    {
        cluster = await PostgresFixture.StartPrivateClusterAsync();
        database = await TestDatabase.CreateAsync(cluster);
    }

    [TearDown]
    public async Task TearDown()
    {
        await database.DisposeAsync();
        await cluster.DisposeAsync();
    }

    [Test]
    public async Task While_the_database_is_down_every_operation_fails_as_a_store_outage_and_health_says_so()
    {
        var opened = database.Open();
        var repository = new PostgresTokenRepository(opened);
        var states = new PostgresAuthStateStore(opened, TimeProvider.System);
        await repository.SaveAsync(7, GrantBuilder.Full(cipher), None);

        await cluster.StopServerAsync();

        Assert.That(async () => await repository.GetAsync(7, None), Throws.InstanceOf<TokenStoreException>());
        Assert.That(async () => await repository.SaveAsync(8, GrantBuilder.Minimal(cipher), None), Throws.InstanceOf<TokenStoreException>());
        Assert.That(async () => await repository.DeleteAsync(7, None), Throws.InstanceOf<TokenStoreException>());
        Assert.That(async () => await repository.ListAsync(None), Throws.InstanceOf<TokenStoreException>());
        Assert.That(async () => await repository.CountAsync(None), Throws.InstanceOf<TokenStoreException>());
        Assert.That(async () => await states.AddAsync(new PendingAuthorization("s", 7, DateTimeOffset.UtcNow.AddMinutes(5)), None), Throws.InstanceOf<TokenStoreException>());
        Assert.That(async () => await states.TakeAsync("s", None), Throws.InstanceOf<TokenStoreException>());
        Assert.That(await repository.IsHealthyAsync(None), Is.False);
    }

    [Test]
    public async Task The_message_names_the_database_and_not_the_password()
    {
        var repository = new PostgresTokenRepository(database.Open());
        await cluster.StopServerAsync();

        var failure = Assert.ThrowsAsync<DatabaseUnavailableException>(async () => await repository.GetAsync(7, None))!;

        Assert.That(failure.Message, Does.Contain($"PostgreSQL at 127.0.0.1:{cluster.Port}, database {database.Name}"));
        Assert.That(failure.ToString(), Does.Not.Contain(cluster.Password));
    }

    [Test]
    public async Task After_a_restart_the_first_request_succeeds_and_nothing_was_lost()
    {
        var opened = database.Open();
        var repository = new PostgresTokenRepository(opened);
        var grant = GrantBuilder.Full(cipher);
        await repository.SaveAsync(7, grant, None);
        // Several pooled connections, all of which the restart breaks.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ => await repository.GetAsync(7, None)));

        await cluster.StopServerAsync();
        Assert.That(async () => await repository.SaveAsync(7, GrantBuilder.Minimal(cipher), None), Throws.InstanceOf<TokenStoreException>());
        await cluster.StartServerAsync();

        GrantBuilder.AssertSame(await repository.GetAsync(7, None), grant);
        Assert.That(await repository.IsHealthyAsync(None), Is.True);
        await repository.SaveAsync(8, GrantBuilder.Minimal(cipher), None);
        Assert.That(await repository.CountAsync(None), Is.EqualTo(2));
    }

    [Test]
    public async Task A_restart_while_connections_sit_in_the_pool_costs_no_request()
    {
        var repository = new PostgresTokenRepository(database.Open());
        await repository.SaveAsync(7, GrantBuilder.Full(cipher), None);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ => await repository.GetAsync(7, None)));

        await cluster.StopServerAsync();
        await cluster.StartServerAsync();

        var reads = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ => await repository.GetAsync(7, None)));
        Assert.That(reads, Has.All.Not.Null);
    }

    [Test]
    public async Task Opening_an_unreachable_database_names_the_host_and_not_the_password()
    {
        await cluster.StopServerAsync();

        var failure = Assert.Throws<DatabaseStartupException>(() => database.Open())!;

        Assert.That(failure.Message, Does.Contain($"PostgreSQL at 127.0.0.1:{cluster.Port}"));
        Assert.That(failure.Message, Does.Contain("DATABASE_URL"));
        Assert.That(failure.ToString(), Does.Not.Contain(cluster.Password));
    }
}
