using JiraAuthServer.Infrastructure.Crypto;

namespace JiraAuthServer.Tests.Infrastructure.Crypto;

public sealed class FernetKeyTests
{
    private const string UrlSafeKey = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";

    [Test]
    public void GeneratedKeysDifferAndSurviveEncodeAndParse()
    {
        FernetKey first = FernetKey.Generate();
        FernetKey second = FernetKey.Generate();

        Assert.Multiple(() =>
        {
            Assert.That(first.Encode(), Is.Not.EqualTo(second.Encode()));
            Assert.That(first.Encode(), Has.Length.EqualTo(FernetKey.EncodedLength).And.EndsWith("="));
            Assert.That(FernetKey.Parse(first.Encode()).Encode(), Is.EqualTo(first.Encode()));
        });
    }

    [Test]
    public void GeneratedKeyEncryptsForAPeerThatParsedItsEncoding()
    {
        FernetKey key = FernetKey.Generate();
        string token = FernetTestKeys.CipherFor(key).Encrypt("secret");

        Assert.That(FernetTestKeys.CipherFor(key.Encode()).Decrypt(token), Is.EqualTo("secret"));
    }

    [Test]
    public void ToStringRevealsNothingOfTheKey()
    {
        FernetKey key = FernetKey.Parse(UrlSafeKey);

        Assert.That(key.ToString(), Is.EqualTo("FernetKey(****)"));
    }

    [Test]
    public void StandardAlphabetKeyIsTheSameKeyAsItsUrlSafeSpelling()
    {
        // Python's Fernet accepts '+' and '/' in keys, so an `openssl rand -base64 32` key from the Python server stays valid.
        string standard = UrlSafeKey.Replace('-', '+').Replace('_', '/');
        string token = FernetTestKeys.CipherFor(UrlSafeKey).Encrypt("same key");

        Assert.Multiple(() =>
        {
            Assert.That(FernetKey.Parse(standard).Encode(), Is.EqualTo(UrlSafeKey));
            Assert.That(FernetTestKeys.CipherFor(standard).Decrypt(token), Is.EqualTo("same key"));
        });
    }

    [TestCase("", TestName = "empty")]
    [TestCase("cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4", TestName = "padding missing (Python rejects it too)")]
    [TestCase("cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e==", TestName = "31 bytes")]
    [TestCase("cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4AAAA", TestName = "35 bytes")]
    [TestCase("cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e5=", TestName = "non-zero unused bits")]
    [TestCase("cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e!=", TestName = "character outside base64")]
    [TestCase("cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4 ", TestName = "trailing space in place of padding")]
    public void MalformedKeyIsRefused(string text)
    {
        Assert.Multiple(() =>
        {
            Assert.That(FernetKey.TryParse(text, out FernetKey? key), Is.False);
            Assert.That(key, Is.Null);
            Assert.That(() => FernetKey.Parse(text), Throws.TypeOf<EncryptionKeyException>()
                .With.Message.EqualTo("the key is not 32 bytes of url-safe base64"));
        });
    }
}
