using JiraAuthServer.Infrastructure.Storage;
using JiraAuthServer.Tests.Support;

namespace JiraAuthServer.Tests.Infrastructure.Storage;

/// <summary>
/// A write that cannot reach the disk fails every change of its batch and applies none of them. The failure is made
/// real by putting a directory where the file is renamed to (chmod does not stop root, who runs the tests in CI).
/// </summary>
public sealed class FailedWriteTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly long[] KeptUsers = [1, 50];
    private readonly PrefixTestCipher cipher = new();

    [Test]
    public async Task EveryWaiterOfTheBatchFailsAndMemoryStaysEqualToDisk()
    {
        using var folder = new TempFolder();
        var kept = GrantBuilder.Full(cipher, "kept");
        var later = GrantBuilder.Minimal(cipher, "later");
        Dictionary<long, string> inMemory;
        await using (var repository = StoreFiles.Open(folder.TokensFile, cipher))
        {
            await repository.SaveAsync(1, kept, None);
            var journal = folder.TokensFile + ".journal";
            var goodFile = File.ReadAllBytes(journal);
            File.Delete(journal);
            Directory.CreateDirectory(journal);

            var changes = Enumerable.Range(2, 20).Select(user => repository.SaveAsync(user, GrantBuilder.Minimal(cipher), None))
                .Append(repository.DeleteAsync(1, None))
                .ToList();
            foreach (var change in changes)
            {
                Assert.That(async () => await change, Throws.TypeOf<TokenStoreWriteException>().With.Message.Contains(folder.TokensFile + ".journal"));
            }

            Assert.That(await repository.IsHealthyAsync(None), Is.False);
            Assert.That(await repository.CountAsync(None), Is.EqualTo(1));
            GrantBuilder.AssertSame(await repository.GetAsync(1, None), kept);
            Assert.That(folder.FileNames(), Is.EqualTo(StoreFiles.JournalAndLock), "no temporary file is left behind");

            Directory.Delete(journal);
            File.WriteAllBytes(journal, goodFile);
            await repository.SaveAsync(50, later, None);
            Assert.That(await repository.IsHealthyAsync(None), Is.True);
            inMemory = await StoreFiles.SnapshotAsync(repository);
        }

        await using var reopened = StoreFiles.Open(folder.TokensFile, cipher);
        var onDisk = await StoreFiles.SnapshotAsync(reopened);
        Assert.That(onDisk.Keys, Is.EquivalentTo(KeptUsers));
        Assert.That(onDisk, Is.EquivalentTo(inMemory));
    }
}
