using JiraAuthServer.Infrastructure.Crypto;

namespace JiraAuthServer.Tests.Infrastructure.Crypto;

/// <summary>Live round trips through Python's <c>cryptography</c>, the library the Python server stored tokens with.</summary>
[Category("Python")]
public sealed class FernetPythonInteropTests
{
    private static readonly string[] Plaintexts =
    [
        "",
        "x",
        "exactly sixteen!",
        "Привет, 世界 🎉 ω̃ \0\u0001 \"quoted\" \\ \r\n",
        string.Concat(Enumerable.Repeat("eyJraWQiOiJhdGxhc3NpYW4ifQ.", 60)),
        string.Concat(Enumerable.Repeat("токен-🔑-", 200)),
    ];

    [SetUp]
    public void RequirePython() => PythonFernet.RequireOrIgnore();

    [Test]
    public void PythonDecryptsOurTokens()
    {
        FernetKey key = FernetKey.Generate();
        var cipher = FernetTestKeys.CipherFor(key);
        string[] tokens = [.. Plaintexts.Select(cipher.Encrypt)];

        Assert.That(PythonFernet.Decrypt(key.Encode(), tokens), Is.EqualTo(Plaintexts));
    }

    [Test]
    public void WeDecryptPythonsTokens()
    {
        FernetKey key = FernetKey.Generate();
        var cipher = FernetTestKeys.CipherFor(key);

        IReadOnlyList<string> tokens = PythonFernet.Encrypt(key.Encode(), Plaintexts);

        Assert.That(tokens.Select(cipher.Decrypt), Is.EqualTo(Plaintexts));
    }

    [Test]
    public void PythonOpensOurRotatedTokenWithTheNewKeyAloneAndSeesTheOriginalTimestamp()
    {
        FernetKey oldKey = FernetKey.Generate();
        FernetKey newKey = FernetKey.Generate();
        string[] originals = [.. PythonFernet.Encrypt(oldKey.Encode(), Plaintexts)];
        var ring = FernetTestKeys.CipherFor(newKey, oldKey);

        string[] rotated = [.. originals.Select(ring.Rotate)];

        Assert.Multiple(() =>
        {
            Assert.That(PythonFernet.Decrypt(newKey.Encode(), rotated), Is.EqualTo(Plaintexts));
            Assert.That(PythonFernet.Timestamps(newKey.Encode(), rotated), Is.EqualTo(PythonFernet.Timestamps(oldKey.Encode(), originals)));
        });
    }
}
