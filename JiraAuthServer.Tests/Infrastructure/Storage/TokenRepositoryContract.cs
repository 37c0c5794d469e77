using JiraAuthServer.Core.Storage;
using JiraAuthServer.Tests.Support;

namespace JiraAuthServer.Tests.Infrastructure.Storage;

/// <summary>
/// What every <see cref="ITokenRepository"/> must do alike, run against each store: the JSON file and PostgreSQL.
/// "Reopen" is a restart for the file and another server process for the database.
/// </summary>
public abstract partial class TokenRepositoryContract
{
    protected static readonly CancellationToken None = CancellationToken.None;

    private protected PrefixTestCipher Cipher { get; } = new();

    /// <summary>The store as a fresh server would open it.</summary>
    protected abstract Task<ITokenRepository> OpenAsync();

    /// <summary>Opens the same store again (the file store closes <paramref name="previous"/> first: it is single-process).</summary>
    protected abstract Task<ITokenRepository> ReopenAsync(ITokenRepository previous);

    [Test]
    public async Task Every_field_comes_back_after_reopening_unknown_ones_included()
    {
        var full = GrantBuilder.Full(Cipher, "a");
        var minimal = GrantBuilder.Minimal(Cipher, "b");
        var repository = await OpenAsync();
        await repository.SaveAsync(1001, full, None);
        await repository.SaveAsync(1002, minimal, None);

        var reopened = await ReopenAsync(repository);

        GrantBuilder.AssertSame(await reopened.GetAsync(1001, None), full);
        GrantBuilder.AssertSame(await reopened.GetAsync(1002, None), minimal);
        Assert.That(await reopened.GetAsync(1003, None), Is.Null);
    }

    [Test]
    public async Task The_last_write_wins_whole()
    {
        var repository = await OpenAsync();
        await repository.SaveAsync(7, GrantBuilder.Full(Cipher, "a"), None);
        var replacement = GrantBuilder.Minimal(Cipher, "b");
        await repository.SaveAsync(7, replacement, None);

        var reopened = await ReopenAsync(repository);

        GrantBuilder.AssertSame(await reopened.GetAsync(7, None), replacement);
        Assert.That(await reopened.CountAsync(None), Is.EqualTo(1));
    }

    [Test]
    public async Task Delete_says_whether_there_was_a_grant()
    {
        var repository = await OpenAsync();
        await repository.SaveAsync(7, GrantBuilder.Full(Cipher), None);

        Assert.That(await repository.DeleteAsync(7, None), Is.True);
        Assert.That(await repository.DeleteAsync(7, None), Is.False);
        Assert.That(await repository.DeleteAsync(8, None), Is.False);
        var reopened = await ReopenAsync(repository);
        Assert.That(await reopened.GetAsync(7, None), Is.Null);
        Assert.That(await reopened.CountAsync(None), Is.Zero);
    }

    [Test]
    public async Task Save_many_stores_every_grant_and_list_and_count_see_them()
    {
        var repository = await OpenAsync();
        await repository.SaveAsync(5, GrantBuilder.Minimal(Cipher, "old"), None);
        var grants = Enumerable.Range(1, 1200).Select(id => KeyValuePair.Create((long)id, GrantBuilder.Full(Cipher, id.ToString(System.Globalization.CultureInfo.InvariantCulture)))).ToList();

        await repository.SaveManyAsync(grants, None);

        var reopened = await ReopenAsync(repository);
        Assert.That(await reopened.CountAsync(None), Is.EqualTo(1200));
        var listed = await reopened.ListAsync(None);
        Assert.That(listed.Select(pair => pair.Key).Order(), Is.EqualTo(grants.Select(pair => pair.Key)));
        GrantBuilder.AssertSame(listed.Single(pair => pair.Key == 5).Value, grants[4].Value);
    }

    [Test]
    public async Task Timestamps_keep_microseconds_and_come_back_in_UTC()
    {
        var repository = await OpenAsync();
        var local = new DateTimeOffset(2025, 6, 1, 14, 30, 45, TimeSpan.FromHours(2)).AddTicks(1234567);
        await repository.SaveAsync(9, GrantBuilder.Minimal(Cipher) with { ExpiresAt = local, UpdatedAt = local }, None);

        var stored = (await (await ReopenAsync(repository)).GetAsync(9, None))!;

        Assert.That(stored.ExpiresAt, Is.EqualTo(local.AddTicks(-7)));
        Assert.That(stored.ExpiresAt.Offset, Is.EqualTo(TimeSpan.Zero));
        Assert.That(stored.UpdatedAt, Is.EqualTo(local.AddTicks(-7)));
    }

    [Test]
    public async Task A_usable_store_is_healthy()
    {
        var repository = await OpenAsync();

        Assert.That(await repository.IsHealthyAsync(None), Is.True);
    }
}
