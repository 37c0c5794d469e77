using JiraAuthServer.Core.Crypto;
using JiraAuthServer.Core.Grants;
using JiraAuthServer.Infrastructure.Crypto;

namespace JiraAuthServer.Tests.Infrastructure.Crypto;

/// <summary>A token as the store holds it (its bytes) opens exactly like its text, and only with the right key.</summary>
public sealed class SealedTokenDecryptionTests
{
    [Test]
    public void Opens_from_the_bytes_as_from_the_text()
    {
        var cipher = FernetTestKeys.CipherFor(FernetKey.Generate());
        var token = cipher.Encrypt("eyJhbGciOiJSUzI1NiJ9.payload.signature ключ");
        var sealedToken = SealedText.From(token);

        Assert.That(sealedToken.IsBase64, Is.True);
        Assert.That(cipher.Decrypt(sealedToken), Is.EqualTo(cipher.Decrypt(token)));
        Assert.That(((ITokenCipher)cipher).Decrypt(sealedToken), Is.EqualTo("eyJhbGciOiJSUzI1NiJ9.payload.signature ключ"));
    }

    [Test]
    public void Refuses_a_token_of_another_key_or_tampered()
    {
        var cipher = FernetTestKeys.CipherFor(FernetKey.Generate());
        var other = FernetTestKeys.CipherFor(FernetKey.Generate());
        var token = other.Encrypt("secret");
        var tampered = cipher.Encrypt("secret").ToCharArray();
        tampered[^6] = tampered[^6] == 'A' ? 'B' : 'A';

        Assert.That(() => cipher.Decrypt(SealedText.From(token)), Throws.TypeOf<TokenDecryptionException>());
        Assert.That(() => cipher.Decrypt(SealedText.From(new string(tampered))), Throws.TypeOf<TokenDecryptionException>());
        Assert.That(() => cipher.Decrypt(SealedText.From("not a token")), Throws.TypeOf<TokenDecryptionException>());
    }

    [Test]
    public void A_ring_opens_tokens_of_its_older_keys_from_the_bytes()
    {
        var oldKey = FernetKey.Generate();
        var token = FernetTestKeys.CipherFor(oldKey).Encrypt("kept");

        Assert.That(FernetTestKeys.CipherFor(FernetKey.Generate(), oldKey).Decrypt(SealedText.From(token)), Is.EqualTo("kept"));
    }

    [Test]
    public void Says_whether_a_token_opens_without_opening_it_for_the_caller()
    {
        var key = FernetKey.Generate();
        var cipher = FernetTestKeys.CipherFor(key);
        var notUtf8 = cipher.Encrypt([0xFF, 0xFE], DateTimeOffset.UtcNow, new byte[16]);

        Assert.That(cipher.CanDecrypt(SealedText.From(cipher.Encrypt("readable"))), Is.True);
        Assert.That(cipher.CanDecrypt(SealedText.From(FernetTestKeys.CipherFor(FernetKey.Generate()).Encrypt("other key"))), Is.False);
        Assert.That(cipher.CanDecrypt(SealedText.From("key-one:not base64")), Is.False);
        Assert.That(cipher.CanDecrypt(SealedText.From(notUtf8)), Is.False, "Decrypt refuses a plaintext that is not UTF-8, so this must too");
        Assert.That(() => cipher.Decrypt(SealedText.From(notUtf8)), Throws.TypeOf<TokenDecryptionException>());
    }
}
