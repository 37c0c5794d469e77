using JiraAuthServer.Tests.Support;

namespace JiraAuthServer.Tests.Infrastructure.Storage;

/// <summary><c>ReplaceAsync</c>: a refresh's result is stored only over the very record it started from.</summary>
public sealed class ConditionalReplaceTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly PrefixTestCipher cipher = new();

    [Test]
    public async Task ReplacesTheRecordItWasGivenAndTheChangeIsDurable()
    {
        using var folder = new TempFolder();
        var replacement = GrantBuilder.Full(cipher, "b");
        await using (var repository = StoreFiles.Open(folder.TokensFile))
        {
            await repository.SaveAsync(1, GrantBuilder.Full(cipher, "a"), None);
            var read = (await repository.GetAsync(1, None))!;

            Assert.That(await repository.ReplaceAsync(1, read, replacement, None), Is.True);
            GrantBuilder.AssertSame(await repository.GetAsync(1, None), replacement);
        }

        await using var reopened = StoreFiles.Open(folder.TokensFile);
        GrantBuilder.AssertSame(await reopened.GetAsync(1, None), replacement);
    }

    [Test]
    public async Task RefusesAfterADeleteAndLeavesTheUserDeleted()
    {
        using var folder = new TempFolder();
        await using var repository = StoreFiles.Open(folder.TokensFile);
        await repository.SaveAsync(1, GrantBuilder.Full(cipher, "a"), None);
        var read = (await repository.GetAsync(1, None))!;
        await repository.DeleteAsync(1, None);

        Assert.That(await repository.ReplaceAsync(1, read, GrantBuilder.Full(cipher, "b"), None), Is.False);
        Assert.That(await repository.GetAsync(1, None), Is.Null);
        Assert.That(StoreFiles.ReadJson(folder.TokensFile).Properties(), Is.Empty);
    }

    [Test]
    public async Task RefusesAfterANewerSaveAndKeepsIt()
    {
        using var folder = new TempFolder();
        await using var repository = StoreFiles.Open(folder.TokensFile);
        await repository.SaveAsync(1, GrantBuilder.Full(cipher, "a"), None);
        var read = (await repository.GetAsync(1, None))!;
        var newer = GrantBuilder.Full(cipher, "new");
        await repository.SaveAsync(1, newer, None);

        Assert.That(await repository.ReplaceAsync(1, read, GrantBuilder.Full(cipher, "b"), None), Is.False);
        GrantBuilder.AssertSame(await repository.GetAsync(1, None), newer);
    }

    [Test]
    public async Task ADeleteQueuedBeforeTheReplaceInTheSameBatchWins()
    {
        using var folder = new TempFolder();
        await using var repository = StoreFiles.Open(folder.TokensFile);
        await repository.SaveAsync(1, GrantBuilder.Full(cipher, "a"), None);
        await repository.SaveAsync(2, GrantBuilder.Full(cipher, "other"), None);
        var read = (await repository.GetAsync(1, None))!;

        // Queued back to back, these usually share one file write; either way the order decides.
        var delete = repository.DeleteAsync(1, None);
        var replace = repository.ReplaceAsync(1, read, GrantBuilder.Full(cipher, "b"), None);
        await Task.WhenAll(delete, replace);

        Assert.That(await delete, Is.True);
        Assert.That(await replace, Is.False);
        Assert.That(await repository.GetAsync(1, None), Is.Null);
        Assert.That(StoreFiles.ReadJson(folder.TokensFile).Properties().Select(property => property.Name), Is.EqualTo(new[] { "2" }));
    }

    [Test]
    public async Task ARecordReadFromTheFileCanBeReplaced()
    {
        using var folder = new TempFolder();
        await using (var writer = StoreFiles.Open(folder.TokensFile))
        {
            await writer.SaveAsync(1, GrantBuilder.Full(cipher, "a"), None);
        }

        await using var repository = StoreFiles.Open(folder.TokensFile);
        var read = (await repository.GetAsync(1, None))!;

        Assert.That(await repository.ReplaceAsync(1, read, GrantBuilder.Full(cipher, "b"), None), Is.True);
    }
}
