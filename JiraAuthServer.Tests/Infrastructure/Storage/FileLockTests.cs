using JiraAuthServer.Infrastructure.Storage;

namespace JiraAuthServer.Tests.Infrastructure.Storage;

public sealed class FileLockTests
{
    [Test]
    public async Task ASecondRepositoryOnTheSameFileIsRefusedUntilTheFirstIsDisposed()
    {
        using var folder = new TempFolder();
        var first = StoreFiles.Open(folder.TokensFile);

        var exception = Assert.Throws<TokenStoreLockedException>(() => StoreFiles.Open(folder.TokensFile));
        Assert.That(exception!.Message, Does.Contain(folder.TokensFile).And.Contain("in use by another process"));

        await first.DisposeAsync();
        await using var second = StoreFiles.Open(folder.TokensFile);
        Assert.That(await second.IsHealthyAsync(CancellationToken.None), Is.True);
    }

    [Test]
    public void AFolderThatDoesNotExistIsALoadErrorNamingThePath()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "missing", "user_tokens.json");

        var exception = Assert.Throws<TokenStoreLoadException>(() => StoreFiles.Open(path));

        Assert.That(exception!.Message, Does.Contain(path));
    }
}
