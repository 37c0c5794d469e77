using System.Text.Json;
using JiraAuthServer.Core.Crypto;

namespace JiraAuthServer.Tests.Infrastructure.Crypto;

/// <summary>
/// Decision: tokens are decoded as strict url-safe base64 with padding, so the spellings Python's lax decoder lets
/// through (standard alphabet, line breaks, junk characters, data after padding, extra padding, non-zero unused bits)
/// are rejected. Every token this server or the Python server writes is canonical, so nothing real is lost, and each
/// token has exactly one accepted spelling, which keeps stored tokens comparable and leaves no parser slack to probe.
/// </summary>
public sealed class FernetLenientEncodingTests
{
    [TestCaseSource(nameof(LenientCases))]
    public void LenientSpellingIsRejectedWhileItsCanonicalSpellingOpens(JsonElement vector)
    {
        var cipher = FernetTestKeys.CipherFor(vector.Text("key"));

        Assert.Multiple(() =>
        {
            Assert.Throws<TokenDecryptionException>(() => cipher.Decrypt(vector.Text("token")));
            Assert.That(cipher.Decrypt(vector.Text("canonical_token")), Is.EqualTo(vector.Text("plaintext")));
        });
    }

    private static IEnumerable<TestCaseData> LenientCases() =>
        FernetVectors.Load("python-lenient.json").Select(v => new TestCaseData(v).SetArgDisplayNames(v.Text("id")));
}
