using JiraAuthServer.Infrastructure.Storage;
using JiraAuthServer.Tests.Support;
using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Tests.Infrastructure.Storage;

public sealed class KeyCheckTests
{
    private const string WrongKey = "secret-key-material-B";
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly long[] OnlyUserThree = [3];
    private readonly PrefixTestCipher rightKey = new("secret-key-material-A");

    [Test]
    public async Task KeysThatOpenNoStoredTokenStopTheStartAndLeaveTheFileUnchanged()
    {
        using var folder = new TempFolder();
        await using (var repository = StoreFiles.Open(folder.TokensFile, rightKey))
        {
            await repository.SaveAsync(1, GrantBuilder.Full(rightKey), None);
            await repository.SaveAsync(2, GrantBuilder.Minimal(rightKey), None);
        }

        var hash = StoreFiles.Sha256(folder.TokensFile);

        var exception = Assert.Throws<TokenStoreLoadException>(() => StoreFiles.Open(folder.TokensFile, new PrefixTestCipher(WrongKey)));

        Assert.That(exception!.Message, Does.Contain("ENCRYPTION_KEY does not open any"));
        Assert.That(exception.Message, Does.Contain(folder.TokensFile));
        Assert.That(exception.Message, Does.Not.Contain(WrongKey).And.Not.Contain("secret-key-material-A"));
        Assert.That(StoreFiles.Sha256(folder.TokensFile), Is.EqualTo(hash));
    }

    [Test]
    public void AnEmptyStoreOpensWithAnyKey()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.TokensFile, "{}");

        using var repository = StoreFiles.Open(folder.TokensFile, new PrefixTestCipher(WrongKey));

        Assert.That(repository.UnreadableUserIds, Is.Empty);
    }

    [Test]
    public async Task ARecordNoKeyOpensIsReportedAndKeptExactlyAsItWasOnRewrite()
    {
        using var folder = new TempFolder();
        var other = new PrefixTestCipher(WrongKey);
        var unreadableRecord =
            "  \"3\": {\n" +
            $"    \"access_token\": \"{other.Encrypt("access-3")}\",\n" +
            "    \"refresh_token\": \"\",\n" +
            "    \"expires_at\": \"2025-03-01T10:20:30.123456\",\n" +
            "    \"legacy\": {\n" +
            "      \"n\": [\n" +
            "        1,\n" +
            "        2.5\n" +
            "      ]\n" +
            "    }\n" +
            "  }";
        File.WriteAllText(folder.TokensFile,
            "{\n" +
            $"  \"1\": {{\n    \"access_token\": \"{rightKey.Encrypt("access-1")}\",\n    \"refresh_token\": \"\",\n    \"expires_at\": \"2025-03-01T10:20:30\"\n  }},\n" +
            unreadableRecord + ",\n" +
            $"  \"2\": {{\n    \"access_token\": \"{rightKey.Encrypt("access-2")}\",\n    \"refresh_token\": \"\",\n    \"expires_at\": \"2025-03-01T10:20:30\"\n  }}\n" +
            "}");
        var before = StoreFiles.ReadJson(folder.TokensFile);

        await using (var repository = StoreFiles.Open(folder.TokensFile, rightKey))
        {
            Assert.That(repository.UnreadableUserIds, Is.EqualTo(OnlyUserThree));
            await repository.SaveAsync(1, GrantBuilder.Full(rightKey), None);
        }

        Assert.That(File.ReadAllText(folder.TokensFile), Does.Contain(unreadableRecord));
        Assert.That(JToken.DeepEquals(StoreFiles.ReadJson(folder.TokensFile)["3"], before["3"]), Is.True);
    }
}
