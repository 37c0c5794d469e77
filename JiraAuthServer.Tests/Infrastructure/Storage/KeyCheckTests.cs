using JiraAuthServer.Core.Atlassian;
using JiraAuthServer.Core.Options;
using JiraAuthServer.Core.Tokens;
using JiraAuthServer.Infrastructure.Crypto;
using JiraAuthServer.Infrastructure.Storage;
using JiraAuthServer.Tests.Fakes;
using JiraAuthServer.Tests.Infrastructure.Crypto;
using JiraAuthServer.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Moq;
using Newtonsoft.Json.Linq;
using OptionsOf = Microsoft.Extensions.Options.Options;

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

    [Test]
    public async Task A_record_no_key_opens_is_answered_as_unreadable_while_the_others_are_served()
    {
        using var folder = new TempFolder();
        var cipher = FernetTestKeys.CipherFor(FernetKey.Generate());
        var foreign = FernetTestKeys.CipherFor(FernetKey.Generate());
        File.WriteAllText(folder.TokensFile,
            "{\n" +
            $"  \"1\": {{\"access_token\": \"{cipher.Encrypt("access-1")}\", \"refresh_token\": \"{cipher.Encrypt("refresh-1")}\", \"expires_at\": \"2030-01-01T00:00:00\"}},\n" +
            $"  \"3\": {{\"access_token\": \"{foreign.Encrypt("access-3")}\", \"refresh_token\": \"{foreign.Encrypt("refresh-3")}\", \"expires_at\": \"2030-01-01T00:00:00\"}}\n" +
            "}");
        var hash = StoreFiles.Sha256(folder.TokensFile);
        await using var repository = StoreFiles.Open(folder.TokensFile, cipher);
        var clock = new FakeTimeProvider(new DateTimeOffset(2029, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var events = new RecordingGrantEvents();

        // A strict Atlassian mock: both grants are far from expiry, so neither answer may come from a refresh.
        using var refresher = new GrantRefresher(
            repository, new InProcessGrantRefreshLock(), cipher, new Mock<IAtlassianClient>(MockBehavior.Strict).Object,
            OptionsOf.Create(new TokenPolicyOptions()), clock, new NoMetrics(), new RecordingLogger<GrantRefresher>(), events);
        var service = new TokenService(repository, refresher, events, OptionsOf.Create(new AtlassianOptions()), clock);

        var unreadable = await service.GetTokenAsync(3, None);
        var readable = await service.GetTokenAsync(1, None);

        Assert.That(repository.UnreadableUserIds, Is.EqualTo(OnlyUserThree));
        Assert.That(unreadable.Status, Is.EqualTo(TokenLookupStatus.Unreadable));
        Assert.That(readable.Status, Is.EqualTo(TokenLookupStatus.Served));
        Assert.That(readable.AccessToken, Is.EqualTo("access-1"));
        Assert.That(StoreFiles.Sha256(folder.TokensFile), Is.EqualTo(hash), "answering is no reason to touch the record");
    }
}
