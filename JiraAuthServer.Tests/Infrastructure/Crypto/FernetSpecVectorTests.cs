using System.Text;
using System.Text.Json;
using JiraAuthServer.Core.Crypto;

namespace JiraAuthServer.Tests.Infrastructure.Crypto;

/// <summary>The official vectors of the Fernet specification (fernet/spec).</summary>
public sealed class FernetSpecVectorTests
{
    [TestCaseSource(nameof(GenerateCases))]
    public void GenerateWithTheVectorsIvAndTimeReproducesTheTokenExactly(JsonElement vector)
    {
        var cipher = FernetTestKeys.CipherFor(vector.Text("secret"));

        string token = cipher.Encrypt(Encoding.UTF8.GetBytes(vector.Text("src")), vector.Now(), vector.Iv());

        Assert.That(token, Is.EqualTo(vector.Text("token")));
    }

    [TestCaseSource(nameof(VerifyCases))]
    public void VerifyAtTheVectorsTimeWithinItsTtlOpensToTheSource(JsonElement vector)
    {
        var cipher = FernetTestKeys.CipherFor(vector.Text("secret"));

        byte[] plaintext = cipher.Decrypt(vector.Text("token"), vector.TtlSeconds(), vector.Now());

        Assert.That(Encoding.UTF8.GetString(plaintext), Is.EqualTo(vector.Text("src")));
    }

    [TestCaseSource(nameof(InvalidCases))]
    public void InvalidIsRejected(JsonElement vector)
    {
        var cipher = FernetTestKeys.CipherFor(vector.Text("secret"));

        Assert.Throws<TokenDecryptionException>(() => cipher.Decrypt(vector.Text("token"), vector.TtlSeconds(), vector.Now()));
    }

    private static IEnumerable<TestCaseData> GenerateCases() => Named("generate.json", v => "generate: " + v.Text("src"));

    private static IEnumerable<TestCaseData> VerifyCases() => Named("verify.json", v => "verify: " + v.Text("src"));

    private static IEnumerable<TestCaseData> InvalidCases() => Named("invalid.json", v => v.Text("desc"));

    private static IEnumerable<TestCaseData> Named(string file, Func<JsonElement, string> name) =>
        FernetVectors.Load(file).Select(v => new TestCaseData(v).SetArgDisplayNames(name(v)));
}
