using JiraAuthServer.Core.Crypto;
using JiraAuthServer.Infrastructure.Crypto;

namespace JiraAuthServer.Tests.Infrastructure.Crypto;

public sealed class FernetKeyRingTests
{
    private static readonly string First = FernetKey.Generate().Encode();
    private static readonly string Second = FernetKey.Generate().Encode();
    private static readonly string Third = FernetKey.Generate().Encode();

    [Test]
    public void ParsesCommaSeparatedKeysTrimmingWhitespace()
    {
        FernetKeyRing ring = FernetKeyRing.Parse($" {First} ,\t{Second},\n{Third} ");

        Assert.Multiple(() =>
        {
            Assert.That(ring.Keys.Select(k => k.Encode()), Is.EqualTo(new[] { First, Second, Third }));
            Assert.That(ring.Primary.Encode(), Is.EqualTo(First));
            Assert.That(ring.ToString(), Is.EqualTo("FernetKeyRing(3 keys)"));
        });
    }

    [Test]
    public void FirstKeyEncrypts()
    {
        string token = FernetTestKeys.CipherFor(First, Second).Encrypt("grant");

        Assert.Multiple(() =>
        {
            Assert.That(FernetTestKeys.CipherFor(First).Decrypt(token), Is.EqualTo("grant"));
            Assert.Throws<TokenDecryptionException>(() => FernetTestKeys.CipherFor(Second).Decrypt(token));
        });
    }

    [Test]
    public void EveryKeyDecrypts()
    {
        var ring = FernetTestKeys.CipherFor(First, Second, Third);

        Assert.Multiple(() =>
        {
            foreach (string key in new[] { First, Second, Third })
            {
                Assert.That(ring.Decrypt(FernetTestKeys.CipherFor(key).Encrypt("by " + key[..4])), Is.EqualTo("by " + key[..4]));
            }
        });
    }

    [Test]
    public void RotateMovesAnOlderKeysTokenToThePrimaryKey()
    {
        var ring = FernetTestKeys.CipherFor(First, Second);
        string old = FernetTestKeys.CipherFor(Second).Encrypt("refresh-token");

        string rotated = ring.Rotate(old);

        Assert.Multiple(() =>
        {
            Assert.That(ring.IsEncryptedWithPrimaryKey(old), Is.False);
            Assert.That(ring.IsEncryptedWithPrimaryKey(rotated), Is.True);
            Assert.That(FernetTestKeys.CipherFor(First).Decrypt(rotated), Is.EqualTo("refresh-token"));
            Assert.That(FernetTestKeys.TimestampOf(rotated), Is.EqualTo(FernetTestKeys.TimestampOf(old)));
            Assert.That(FernetTestKeys.IvOf(rotated), Is.Not.EqualTo(FernetTestKeys.IvOf(old)));
        });
    }

    [Test]
    public void RotateRefusesATokenNoKeyOpens()
    {
        var ring = FernetTestKeys.CipherFor(First, Second);
        string foreign = FernetTestKeys.CipherFor(Third).Encrypt("x");

        Assert.That(() => ring.Rotate(foreign), Throws.TypeOf<TokenDecryptionException>());
    }

    [TestCase("{0},not-a-key,{1}", 2, 3, "is not 32 bytes of url-safe base64")]
    [TestCase("not-a-key", 1, 1, "is not 32 bytes of url-safe base64")]
    [TestCase("{0},{1},{0}AAAA", 3, 3, "is not 32 bytes of url-safe base64")]
    [TestCase("{0},,{1}", 2, 3, "is empty")]
    [TestCase("{0},", 2, 2, "is empty")]
    [TestCase("{0}, ,{1}", 2, 3, "is empty")]
    public void BadEntryIsNamedByPositionWithoutItsText(string pattern, int position, int count, string why)
    {
        string value = string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, First, Second);

        var error = Assert.Throws<EncryptionKeyException>(() => FernetKeyRing.Parse(value))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Is.EqualTo($"key {position} of {count} {why}"));
            Assert.That(error.KeyPosition, Is.EqualTo(position));
            Assert.That(error.Message, Does.Not.Contain("not-a-key").And.Not.Contain(First[..8]).And.Not.Contain(Second[..8]));
        });
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("   ")]
    public void MissingValueIsRefused(string? value)
    {
        Assert.That(() => FernetKeyRing.Parse(value), Throws.TypeOf<EncryptionKeyException>().With.Message.Contains("ENCRYPTION_KEY is empty"));
    }

    [Test]
    public void RingNeedsAKey()
    {
        Assert.That(() => new FernetKeyRing([]), Throws.ArgumentException);
    }
}
