using System.Text;
using System.Text.Json;
using JiraAuthServer.Core.Crypto;

namespace JiraAuthServer.Tests.Infrastructure.Crypto;

/// <summary>Vectors written by Python's <c>cryptography</c> 48 (<c>make_interop.py</c>).</summary>
public sealed class FernetPythonVectorTests
{
    [TestCaseSource(nameof(InteropCases), new object[] { "fernet" })]
    public void FernetTokenFromPythonOpensToItsPlaintext(JsonElement vector)
    {
        var cipher = FernetTestKeys.CipherFor(vector.Text("key"));

        Assert.That(cipher.Decrypt(vector.Text("token")), Is.EqualTo(vector.Text("plaintext")));
    }

    [TestCaseSource(nameof(InteropCases), new object[] { "fernet" })]
    public void FernetEncryptingWithPythonsIvAndTimestampGivesPythonsTokenExactly(JsonElement vector)
    {
        var cipher = FernetTestKeys.CipherFor(vector.Text("key"));
        var stamped = DateTimeOffset.FromUnixTimeSeconds(vector.GetProperty("timestamp").GetInt64());

        string token = cipher.Encrypt(Encoding.UTF8.GetBytes(vector.Text("plaintext")), stamped, vector.Iv());

        Assert.That(token, Is.EqualTo(vector.Text("token")));
    }

    [TestCaseSource(nameof(InteropCases), new object[] { "fernet_at_time" })]
    public void FernetAtTimeOpensAtItsTimeWithItsTtl(JsonElement vector)
    {
        var cipher = FernetTestKeys.CipherFor(vector.Text("key"));

        byte[] plaintext = cipher.Decrypt(vector.Text("token"), vector.TtlSeconds(), vector.Now());

        Assert.That(Encoding.UTF8.GetString(plaintext), Is.EqualTo(vector.Text("plaintext")));
    }

    [TestCaseSource(nameof(InteropCases), new object[] { "multifernet_rotation" })]
    public void RotationTokenOpensWithTheRingRotatedTokenWithTheNewKeyAlone(JsonElement vector)
    {
        var ring = FernetTestKeys.CipherFor([.. vector.GetProperty("multifernet_keys").EnumerateArray().Select(k => k.GetString()!)]);
        var newKeyOnly = FernetTestKeys.CipherFor(vector.Text("new_key"));
        var oldKeyOnly = FernetTestKeys.CipherFor(vector.Text("old_key"));
        string plaintext = vector.Text("plaintext");

        Assert.Multiple(() =>
        {
            Assert.That(ring.Decrypt(vector.Text("token")), Is.EqualTo(plaintext));
            Assert.That(newKeyOnly.Decrypt(vector.Text("rotated_token")), Is.EqualTo(plaintext));
            Assert.Throws<TokenDecryptionException>(() => oldKeyOnly.Decrypt(vector.Text("rotated_token")));
        });
    }

    [TestCaseSource(nameof(InteropCases), new object[] { "multifernet_rotation" })]
    public void RotationOurRotateOutputOpensWithTheNewKeyAloneAndKeepsTheTimestamp(JsonElement vector)
    {
        var ring = FernetTestKeys.CipherFor([.. vector.GetProperty("multifernet_keys").EnumerateArray().Select(k => k.GetString()!)]);
        var newKeyOnly = FernetTestKeys.CipherFor(vector.Text("new_key"));
        var oldKeyOnly = FernetTestKeys.CipherFor(vector.Text("old_key"));
        string original = vector.Text("token");

        string rotated = ring.Rotate(original);

        Assert.Multiple(() =>
        {
            Assert.That(newKeyOnly.Decrypt(rotated), Is.EqualTo(vector.Text("plaintext")));
            Assert.Throws<TokenDecryptionException>(() => oldKeyOnly.Decrypt(rotated));
            Assert.That(FernetTestKeys.TimestampOf(rotated), Is.EqualTo(FernetTestKeys.TimestampOf(original)));
            Assert.That(ring.IsEncryptedWithPrimaryKey(rotated), Is.True);
            Assert.That(ring.IsEncryptedWithPrimaryKey(original), Is.False);
        });
    }

    [TestCaseSource(nameof(InvalidCases))]
    public void InvalidIsRejected(JsonElement vector)
    {
        var cipher = FernetTestKeys.CipherFor(vector.Text("key"));

        Assert.Throws<TokenDecryptionException>(() => cipher.Decrypt(vector.Text("token"), vector.TtlSeconds(), vector.Now()));
    }

    [Test]
    public void InvalidPaddingStrippedTokenOpensOnceItsPaddingIsRestored()
    {
        // Shows the stripped-padding case is rejected for its padding alone, not because the token is broken.
        JsonElement vector = FernetVectors.Load("python-invalid.json").Single(v => v.Text("id") == "base64_padding_stripped");
        var cipher = FernetTestKeys.CipherFor(vector.Text("key"));
        string stripped = vector.Text("token");
        string restored = stripped + new string('=', (4 - stripped.Length % 4) % 4);

        Assert.That(cipher.Decrypt(restored), Is.EqualTo(vector.Text("plaintext_if_padding_restored")));
    }

    private static IEnumerable<TestCaseData> InteropCases(string kind) =>
        FernetVectors.Load("python-interop.json")
            .Where(v => v.Text("kind") == kind)
            .Select(v => new TestCaseData(v).SetArgDisplayNames(v.Text("id")));

    private static IEnumerable<TestCaseData> InvalidCases() =>
        FernetVectors.Load("python-invalid.json").Select(v => new TestCaseData(v).SetArgDisplayNames(v.Text("id")));
}
