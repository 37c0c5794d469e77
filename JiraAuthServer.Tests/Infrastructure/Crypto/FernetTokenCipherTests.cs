using JiraAuthServer.Core.Crypto;
using JiraAuthServer.Infrastructure.Crypto;
using Microsoft.Extensions.Time.Testing;

namespace JiraAuthServer.Tests.Infrastructure.Crypto;

public sealed class FernetTokenCipherTests
{
    private static readonly FernetKey Key = FernetKey.Generate();

    [TestCase("", TestName = "empty")]
    [TestCase("ya29.a0AfH6SMB", TestName = "ascii")]
    [TestCase("Привет, 世界 🎉 \0 tab\t", TestName = "unicode and control characters")]
    public void RoundTripsText(string plaintext)
    {
        var cipher = FernetTestKeys.CipherFor(Key);

        Assert.That(cipher.Decrypt(cipher.Encrypt(plaintext)), Is.EqualTo(plaintext));
    }

    [Test]
    public void RoundTripsLongText()
    {
        var cipher = FernetTestKeys.CipherFor(Key);
        string plaintext = string.Concat(Enumerable.Repeat("eyJhbGciOiJSUzI1NiJ9.ключ.", 200));

        Assert.That(cipher.Decrypt(cipher.Encrypt(plaintext)), Is.EqualTo(plaintext));
    }

    [Test]
    public void EachEncryptionUsesAFreshIv()
    {
        var cipher = FernetTestKeys.CipherFor(Key);
        string first = cipher.Encrypt("same");
        string second = cipher.Encrypt("same");

        Assert.That(FernetTestKeys.IvOf(first), Is.Not.EqualTo(FernetTestKeys.IvOf(second)));
    }

    [Test]
    public void TokenIsStampedWithTheTimeProvidersClock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero));
        var cipher = new FernetTokenCipher(new FernetKeyRing([Key]), clock);

        Assert.That(FernetTestKeys.TimestampOf(cipher.Encrypt("x")), Is.EqualTo(1717200000UL));
    }

    [Test]
    public void TokensAtRestNeverExpire()
    {
        var longAgo = new FakeTimeProvider(new DateTimeOffset(1999, 1, 1, 0, 0, 0, TimeSpan.Zero));
        string token = new FernetTokenCipher(new FernetKeyRing([Key]), longAgo).Encrypt("old grant");

        Assert.That(FernetTestKeys.CipherFor(Key).Decrypt(token), Is.EqualTo("old grant"));
    }

    [Test]
    public void FromEncryptionKeyBuildsTheRingFromTheVariable()
    {
        FernetKey other = FernetKey.Generate();
        FernetTokenCipher cipher = FernetTokenCipher.FromEncryptionKey($"{Key.Encode()}, {other.Encode()}");

        Assert.Multiple(() =>
        {
            Assert.That(cipher.Keys.Keys, Has.Count.EqualTo(2));
            Assert.That(FernetTestKeys.CipherFor(Key).Decrypt(cipher.Encrypt("a")), Is.EqualTo("a"));
            Assert.That(cipher.Decrypt(FernetTestKeys.CipherFor(other).Encrypt("b")), Is.EqualTo("b"));
        });
    }

    [Test]
    public void RejectionSaysOnlyThatNoKeyOpensIt()
    {
        string token = FernetTestKeys.CipherFor(FernetKey.Generate()).Encrypt("someone else's");
        var cipher = FernetTestKeys.CipherFor(Key);

        var error = Assert.Throws<TokenDecryptionException>(() => cipher.Decrypt(token))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Is.EqualTo("cannot decrypt with any configured key"));
            Assert.That(error.ToString(), Does.Not.Contain(token[..20]).And.Not.Contain(Key.Encode()[..8]));
        });
    }

    [Test]
    public void PlaintextThatIsNotUtf8IsRejectedRatherThanMangled()
    {
        var cipher = FernetTestKeys.CipherFor(Key);
        string token = cipher.Encrypt([0x66, 0xFF, 0x6F], DateTimeOffset.UtcNow, new byte[16]);

        Assert.That(() => cipher.Decrypt(token), Throws.TypeOf<TokenDecryptionException>().With.Message.EqualTo(FernetTokenCipher.NotUtf8Message));
    }

    [Test]
    public void TextWithALoneSurrogateIsRefusedRatherThanMangled()
    {
        Assert.That(() => FernetTestKeys.CipherFor(Key).Encrypt("ab\uD800cd"), Throws.InstanceOf<ArgumentException>());
    }

    [Test]
    public void ConcurrentUseKeepsEveryTokenIntact()
    {
        var cipher = FernetTestKeys.CipherFor(Key, FernetKey.Generate());
        var mismatches = new System.Collections.Concurrent.ConcurrentBag<int>();

        Parallel.For(0, 20_000, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i =>
        {
            string plaintext = new string('a', i % 100) + i;
            if (cipher.Decrypt(cipher.Encrypt(plaintext)) != plaintext)
            {
                mismatches.Add(i);
            }
        });

        Assert.That(mismatches, Is.Empty);
    }
}
