using System.Text;
using JiraAuthServer.Core.Grants;

namespace JiraAuthServer.Tests.Core;

/// <summary>A token held as the bytes its base64 spells gives back exactly its text; any other text stays as it is.</summary>
public sealed class SealedTextTests
{
    [TestCase("gAAAAABnxYz0AAECAwQFBgcICQoLDA0ODzEyMzQ1Njc4OTAxMjM0NTY3ODkwMTI=", TestName = "Fernet-like, one pad")]
    [TestCase("YWJj", TestName = "no padding needed")]
    [TestCase("YQ==", TestName = "two pads")]
    [TestCase("-_-_", TestName = "url-safe alphabet")]
    public void Canonical_base64_is_held_as_bytes_and_gives_its_text_back(string text)
    {
        var sealedText = SealedText.From(text);
        var fromUtf8 = SealedText.FromUtf8(Encoding.UTF8.GetBytes(text));

        Assert.That(sealedText.IsBase64, Is.True);
        Assert.That(sealedText.ToString(), Is.EqualTo(text));
        Assert.That(sealedText.Length, Is.EqualTo(text.Length));
        Assert.That(fromUtf8, Is.EqualTo(sealedText));
        Assert.That(fromUtf8.ToString(), Is.EqualTo(text));
    }

    [TestCase("YQ", TestName = "padding missing")]
    [TestCase("YR==", TestName = "spare bits set")]
    [TestCase("+/+/", TestName = "standard alphabet")]
    [TestCase("YW Jj", TestName = "space")]
    [TestCase("key-one:YQ==", TestName = "not base64")]
    [TestCase("zoë", TestName = "not ascii")]
    public void Other_text_is_kept_exactly(string text)
    {
        var sealedText = SealedText.From(text);
        var fromUtf8 = SealedText.FromUtf8(Encoding.UTF8.GetBytes(text));

        Assert.That(sealedText.IsBase64, Is.False);
        Assert.That(sealedText.ToString(), Is.EqualTo(text));
        Assert.That(fromUtf8.ToString(), Is.EqualTo(text));
        Assert.That(fromUtf8, Is.EqualTo(sealedText));
    }

    [Test]
    public void Empty_and_null_are_the_empty_text()
    {
        Assert.That(SealedText.From(null).ToString(), Is.Empty);
        Assert.That(SealedText.From(string.Empty), Is.EqualTo(SealedText.Empty));
        Assert.That(SealedText.FromUtf8([]).Length, Is.Zero);
    }

    [Test]
    public void Grants_holding_the_same_tokens_are_equal()
    {
        var expires = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var first = new StoredGrant { EncryptedAccessToken = "YWJj", EncryptedRefreshToken = "x", ExpiresAt = expires };
        var second = new StoredGrant(SealedText.FromUtf8("YWJj"u8), SealedText.From("x"), expires);

        Assert.That(second, Is.EqualTo(first));
        Assert.That(second.GetHashCode(), Is.EqualTo(first.GetHashCode()));
        Assert.That(second with { EncryptedAccessToken = "YWJk" }, Is.Not.EqualTo(first));
    }
}
