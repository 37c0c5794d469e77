using JiraAuthServer.Infrastructure.Postgres;
using JiraAuthServer.Tests.Support;

namespace JiraAuthServer.Tests.Postgres;

/// <summary>
/// <c>ReplaceAsync</c> on the database: a refresh's result lands only over the very grant it started from, even when
/// another server process revoked, re-authorized or refreshed the user meanwhile.
/// </summary>
public sealed class PostgresConditionalReplaceTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly PrefixTestCipher cipher = new();
    private TestDatabase database = null!;

    [SetUp]
    public async Task SetUp() => database = await TestDatabase.CreateAsync();

    [TearDown]
    public async Task TearDown() => await database.DisposeAsync();

    [Test]
    public async Task Replaces_the_grant_it_was_given_for_every_process()
    {
        var repository = new PostgresTokenRepository(database.Open());
        await repository.SaveAsync(1, GrantBuilder.Full(cipher, "a"), None);
        var read = (await repository.GetAsync(1, None))!;
        var replacement = GrantBuilder.Minimal(cipher, "b");

        Assert.That(await repository.ReplaceAsync(1, read, replacement, None), Is.True);

        GrantBuilder.AssertSame(await new PostgresTokenRepository(database.Open()).GetAsync(1, None), replacement);
    }

    [Test]
    public async Task Refuses_after_a_delete_and_leaves_the_user_deleted()
    {
        var repository = new PostgresTokenRepository(database.Open());
        await repository.SaveAsync(1, GrantBuilder.Full(cipher, "a"), None);
        var read = (await repository.GetAsync(1, None))!;
        await new PostgresTokenRepository(database.Open()).DeleteAsync(1, None);

        Assert.That(await repository.ReplaceAsync(1, read, GrantBuilder.Full(cipher, "b"), None), Is.False);
        Assert.That(await repository.GetAsync(1, None), Is.Null);
    }

    [Test]
    public async Task Refuses_after_a_newer_authorization_and_keeps_it()
    {
        var repository = new PostgresTokenRepository(database.Open());
        await repository.SaveAsync(1, GrantBuilder.Full(cipher, "a"), None);
        var read = (await repository.GetAsync(1, None))!;
        var newer = GrantBuilder.Full(cipher, "new");
        await new PostgresTokenRepository(database.Open()).SaveAsync(1, newer, None);

        Assert.That(await repository.ReplaceAsync(1, read, GrantBuilder.Full(cipher, "b"), None), Is.False);
        GrantBuilder.AssertSame(await repository.GetAsync(1, None), newer);
    }

    [Test]
    public async Task Refuses_after_the_grant_was_marked_for_reauthorization_with_the_same_tokens()
    {
        var repository = new PostgresTokenRepository(database.Open());
        await repository.SaveAsync(1, GrantBuilder.Full(cipher, "a") with { ReauthorizationRequiredAt = null }, None);
        var read = (await repository.GetAsync(1, None))!;
        var dead = read with { ReauthorizationRequiredAt = GrantBuilder.Now };
        Assert.That(await repository.ReplaceAsync(1, read, dead, None), Is.True);

        Assert.That(await repository.ReplaceAsync(1, read, GrantBuilder.Full(cipher, "b"), None), Is.False);
        GrantBuilder.AssertSame(await repository.GetAsync(1, None), dead);
    }

    [Test]
    public async Task Of_two_processes_replacing_the_same_grant_at_once_exactly_one_succeeds()
    {
        var processA = new PostgresTokenRepository(database.Open());
        var processB = new PostgresTokenRepository(database.Open());
        await processA.SaveAsync(1, GrantBuilder.Full(cipher, "a"), None);
        var read = (await processA.GetAsync(1, None))!;

        var outcomes = await Task.WhenAll(
            processA.ReplaceAsync(1, read, GrantBuilder.Full(cipher, "from-a"), None),
            processB.ReplaceAsync(1, read, GrantBuilder.Full(cipher, "from-b"), None));

        Assert.That(outcomes.Count(stored => stored), Is.EqualTo(1));
        var winner = outcomes[0] ? "from-a" : "from-b";
        Assert.That(cipher.Decrypt((await processB.GetAsync(1, None))!.EncryptedAccessToken), Is.EqualTo("access-" + winner));
    }

    [Test]
    public async Task A_replace_for_an_unknown_user_stores_nothing()
    {
        var repository = new PostgresTokenRepository(database.Open());
        var never = GrantBuilder.Full(cipher, "a");

        Assert.That(await repository.ReplaceAsync(1, never, GrantBuilder.Full(cipher, "b"), None), Is.False);
        Assert.That(await repository.CountAsync(None), Is.Zero);
    }
}
