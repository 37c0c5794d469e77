using System.Globalization;
using JiraAuthServer.Core.Grants;
using JiraAuthServer.Tests.Support;

namespace JiraAuthServer.Tests.Infrastructure.Storage;

public sealed class GroupCommitTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly string[] OnlyUserTen = ["10"];
    private readonly PrefixTestCipher cipher = new();

    [Test]
    public async Task ConcurrentSavesAllLandInAFewFileWritesAndTheFileMatchesMemory()
    {
        const int users = 500;
        const int sameUserSaves = 100;
        const long sharedUser = 424242;
        using var folder = new TempFolder();
        var sharedVersions = Enumerable.Range(0, sameUserSaves).Select(version => GrantBuilder.Full(cipher, "shared-" + version)).ToList();
        Dictionary<long, string> inMemory;
        long writes;
        await using (var repository = StoreFiles.Open(folder.TokensFile, cipher))
        {
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var saves = Enumerable.Range(1, users)
                .Select(user => Task.Run(async () =>
                {
                    await start.Task;
                    await repository.SaveAsync(user, GrantBuilder.Full(cipher, user.ToString(CultureInfo.InvariantCulture)), None);
                }))
                .Concat(sharedVersions.Select(grant => Task.Run(async () =>
                {
                    await start.Task;
                    await repository.SaveAsync(sharedUser, grant, None);
                })))
                .ToList();
            start.SetResult();
            await Task.WhenAll(saves);

            inMemory = await StoreFiles.SnapshotAsync(repository);
            writes = repository.WriteCount;
        }

        await TestContext.Out.WriteLineAsync($"{users + sameUserSaves} concurrent saves took {writes} file writes");
        await using var reopened = StoreFiles.Open(folder.TokensFile, cipher);
        var onDisk = await StoreFiles.SnapshotAsync(reopened);
        var revisions = (await reopened.ListAsync(None)).ToDictionary(pair => pair.Key, pair => pair.Value.Revision);
        Assert.Multiple(() =>
        {
            Assert.That(onDisk, Has.Count.EqualTo(users + 1));
            Assert.That(onDisk, Is.EquivalentTo(inMemory));
            for (var user = 1; user <= users; user++)
            {
                Assert.That(onDisk[user], Is.EqualTo(StoreFiles.Describe(user, GrantBuilder.Full(cipher, user.ToString(CultureInfo.InvariantCulture)) with { Revision = revisions[user] })));
            }

            Assert.That(sharedVersions.Select(grant => StoreFiles.Describe(sharedUser, grant with { Revision = revisions[sharedUser] })), Does.Contain(onDisk[sharedUser]), "one whole version wins");
            Assert.That(revisions.Values, Is.Unique, "every save has its own revision");
            Assert.That(writes, Is.LessThan((users + sameUserSaves) / 10), $"{users + sameUserSaves} saves took {writes} file writes");
        });
    }

    [Test]
    public async Task SaveThenDeleteInOneBatchLeavesNoGrant()
    {
        using var folder = new TempFolder();
        await using var repository = StoreFiles.Open(folder.TokensFile, cipher);
        var grant = GrantBuilder.Minimal(cipher);

        var save = repository.SaveAsync(9, grant, None);
        var delete = repository.DeleteAsync(9, None);
        var saveAgain = repository.SaveAsync(10, grant, None);
        await Task.WhenAll(save, delete, saveAgain);

        Assert.That(await delete, Is.True, "the delete follows the save queued before it");
        Assert.That(await repository.GetAsync(9, None), Is.Null);
        Assert.That(StoreFiles.ReadJson(folder.TokensFile).Properties().Select(property => property.Name), Is.EqualTo(OnlyUserTen));
    }

    [Test]
    public async Task SequentialSavesOfOneUserEndWithTheLast()
    {
        using var folder = new TempFolder();
        StoredGrant last;
        await using (var repository = StoreFiles.Open(folder.TokensFile, cipher))
        {
            var pending = new List<Task>();
            last = GrantBuilder.Minimal(cipher);
            for (var version = 0; version < 50; version++)
            {
                last = GrantBuilder.Full(cipher, "v" + version);
                pending.Add(repository.SaveAsync(1, last, None));
            }

            await Task.WhenAll(pending);
        }

        await using var reopened = StoreFiles.Open(folder.TokensFile, cipher);
        GrantBuilder.AssertSame(await reopened.GetAsync(1, None), last);
    }
}
