using JiraAuthServer.Core.Grants;
using JiraAuthServer.Core.Storage;
using JiraAuthServer.Tests.Support;

namespace JiraAuthServer.Tests.Infrastructure.Storage;

/// <summary>
/// The revision contract of <see cref="ITokenRepository"/>: conditional writes compare revisions, never
/// object identity or ciphertext, so the same content saved twice is two revisions and a fresh copy of a record is as
/// good as the one the store returned.
/// </summary>
public abstract partial class TokenRepositoryContract
{
    [Test]
    public async Task Every_save_gives_a_new_higher_revision_which_another_instance_sees_too()
    {
        var repository = await OpenAsync();
        var grant = GrantBuilder.Full(Cipher, "a");
        await repository.SaveAsync(7, grant, None);
        var first = (await repository.GetAsync(7, None))!.Revision;
        await repository.SaveAsync(7, grant, None);
        var second = (await repository.GetAsync(7, None))!.Revision;
        await repository.SaveAsync(8, grant with { Revision = first }, None);
        var other = (await repository.GetAsync(8, None))!.Revision;

        var reopened = await ReopenAsync(repository);

        Assert.That(second, Is.GreaterThan(first), "the same content saved again is a new revision");
        Assert.That(other, Is.GreaterThan(second), "the revision a saved grant carries is ignored");
        Assert.That((await reopened.GetAsync(7, None))!.Revision, Is.EqualTo(second));
        Assert.That((await reopened.GetAsync(8, None))!.Revision, Is.EqualTo(other));
    }

    [Test]
    public async Task A_replace_with_a_stale_revision_stores_nothing_even_when_the_content_is_the_same()
    {
        var repository = await OpenAsync();
        var grant = GrantBuilder.Full(Cipher, "a");
        await repository.SaveAsync(7, grant, None);
        var stale = (await repository.GetAsync(7, None))!;
        await repository.SaveAsync(7, grant, None);
        var current = (await repository.GetAsync(7, None))!;

        var replaced = await repository.ReplaceAsync(7, stale, GrantBuilder.Minimal(Cipher, "b"), None);

        Assert.That(replaced, Is.False, "same ciphertext, older revision");
        var stored = (await (await ReopenAsync(repository)).GetAsync(7, None))!;
        GrantBuilder.AssertSame(stored, grant);
        Assert.That(stored.Revision, Is.EqualTo(current.Revision));
    }

    [Test]
    public async Task A_replace_with_a_copy_of_the_current_record_lands_under_a_new_revision()
    {
        var repository = await OpenAsync();
        await repository.SaveAsync(7, GrantBuilder.Full(Cipher, "a"), None);
        var current = (await repository.GetAsync(7, None))!;
        var replacement = GrantBuilder.Minimal(Cipher, "b");

        var replaced = await repository.ReplaceAsync(7, current with { }, replacement with { Revision = current.Revision }, None);

        Assert.That(replaced, Is.True, "an equal revision is enough, whatever the object");
        var stored = (await (await ReopenAsync(repository)).GetAsync(7, None))!;
        GrantBuilder.AssertSame(stored, replacement);
        Assert.That(stored.Revision, Is.GreaterThan(current.Revision));
    }

    [Test]
    public async Task A_replace_after_a_delete_and_a_new_save_of_the_same_grant_is_refused()
    {
        var repository = await OpenAsync();
        var grant = GrantBuilder.Full(Cipher, "a");
        await repository.SaveAsync(7, grant, None);
        var before = (await repository.GetAsync(7, None))!;
        await repository.DeleteAsync(7, None);
        await repository.SaveAsync(7, grant, None);
        var after = (await repository.GetAsync(7, None))!;

        var replaced = await repository.ReplaceAsync(7, before, GrantBuilder.Minimal(Cipher, "b"), None);

        Assert.That(after.Revision, Is.GreaterThan(before.Revision), "no revision is reused for a user");
        Assert.That(replaced, Is.False);
        GrantBuilder.AssertSame(await (await ReopenAsync(repository)).GetAsync(7, None), grant);
    }

    [Test]
    public async Task A_replace_of_a_deleted_grant_stores_nothing()
    {
        var repository = await OpenAsync();
        await repository.SaveAsync(7, GrantBuilder.Full(Cipher, "a"), None);
        var read = (await repository.GetAsync(7, None))!;
        await repository.DeleteAsync(7, None);

        Assert.That(await repository.ReplaceAsync(7, read, GrantBuilder.Minimal(Cipher, "b"), None), Is.False);
        Assert.That(await (await ReopenAsync(repository)).GetAsync(7, None), Is.Null);
    }

    [Test]
    public async Task Reencryption_keeps_the_revision_lands_on_unchanged_grants_and_reports_changed_ones()
    {
        var repository = await OpenAsync();
        await repository.SaveAsync(1, GrantBuilder.Full(Cipher, "a"), None);
        await repository.SaveAsync(2, GrantBuilder.Full(Cipher, "b"), None);
        await repository.SaveAsync(3, GrantBuilder.Full(Cipher, "c"), None);
        var unchanged = (await repository.GetAsync(1, None))!;
        var changed = (await repository.GetAsync(2, None))!;
        var deleted = (await repository.GetAsync(3, None))!;
        var renewed = GrantBuilder.Full(Cipher, "b-new");
        await repository.SaveAsync(2, renewed, None);
        await repository.DeleteAsync(3, None);

        var skipped = await repository.ReencryptManyAsync(
            [KeyValuePair.Create(1L, Reencrypted(unchanged)), KeyValuePair.Create(2L, Reencrypted(changed)), KeyValuePair.Create(3L, Reencrypted(deleted))],
            None);

        Assert.That(skipped, Is.EquivalentTo(new long[] { 2, 3 }));
        var reopened = await ReopenAsync(repository);
        var one = (await reopened.GetAsync(1, None))!;
        GrantBuilder.AssertSame(one, Reencrypted(unchanged));
        Assert.That(one.Revision, Is.EqualTo(unchanged.Revision), "re-encryption is not a change of the grant");
        GrantBuilder.AssertSame(await reopened.GetAsync(2, None), renewed);
        Assert.That(await reopened.GetAsync(3, None), Is.Null, "a re-encryption never brings a deleted grant back");
    }

    [Test]
    public async Task A_refresh_read_before_a_reencryption_still_lands_after_it()
    {
        var repository = await OpenAsync();
        await repository.SaveAsync(7, GrantBuilder.Full(Cipher, "a"), None);
        var readByRefresh = (await repository.GetAsync(7, None))!;
        var copy = (await repository.GetAsync(7, None))!;
        Assert.That(await repository.ReencryptManyAsync([KeyValuePair.Create(7L, Reencrypted(copy))], None), Is.Empty);
        var refreshed = GrantBuilder.Full(Cipher, "refreshed");

        var replaced = await repository.ReplaceAsync(7, readByRefresh, refreshed, None);

        Assert.That(replaced, Is.True, "the ciphertext changed, the revision did not");
        var stored = (await (await ReopenAsync(repository)).GetAsync(7, None))!;
        GrantBuilder.AssertSame(stored, refreshed);
        Assert.That(stored.Revision, Is.GreaterThan(readByRefresh.Revision));
    }

    /// <summary>What <c>rotate-keys</c> makes of a record: the same grant under another key, same revision.</summary>
    private static StoredGrant Reencrypted(StoredGrant grant) => grant with
    {
        EncryptedAccessToken = "new:" + grant.EncryptedAccessToken,
        EncryptedRefreshToken = "new:" + grant.EncryptedRefreshToken,
    };
}
