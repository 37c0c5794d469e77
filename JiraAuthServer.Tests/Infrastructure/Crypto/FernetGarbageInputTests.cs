using System.Buffers.Binary;
using JiraAuthServer.Core.Crypto;
using JiraAuthServer.Infrastructure.Crypto;

namespace JiraAuthServer.Tests.Infrastructure.Crypto;

/// <summary>Whatever is fed to Decrypt, the only failure a caller ever sees is <see cref="TokenDecryptionException"/>.</summary>
public sealed class FernetGarbageInputTests
{
    private const int Rounds = 3000;
    private const string Base64UrlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private static readonly FernetTokenCipher Cipher = FernetTestKeys.CipherFor(FernetKey.Generate(), FernetKey.Generate());

    [Test]
    public void RandomTextIsRejected()
    {
        var random = new Random(1);
        AssertAllRejected(Enumerable.Range(0, Rounds).Select(_ =>
        {
            char[] chars = new char[random.Next(0, 300)];
            for (int i = 0; i < chars.Length; i++)
            {
                chars[i] = random.Next(4) == 0 ? (char)random.Next(0, 0xFFFF) : Base64UrlAlphabet[random.Next(64)];
            }

            return new string(chars);
        }));
    }

    [Test]
    public void WellFormedBase64OfRandomBytesIsRejected()
    {
        // Version byte and a block-aligned length let these reach the HMAC check instead of failing early.
        var random = new Random(2);
        AssertAllRejected(Enumerable.Range(0, Rounds).Select(_ =>
        {
            byte[] bytes = new byte[random.Next(3) == 0 ? random.Next(0, 200) : 57 + 16 * random.Next(1, 8)];
            random.NextBytes(bytes);
            if (bytes.Length > 0 && random.Next(2) == 0)
            {
                bytes[0] = 0x80;
            }

            return Encode(bytes);
        }));
    }

    [Test]
    public void EverySingleCharacterChangeOfAValidTokenIsRejected()
    {
        string token = Cipher.Encrypt("a valid token, mutated one character at a time");
        var random = new Random(3);
        AssertAllRejected(Enumerable.Range(0, token.Length).Select(i =>
        {
            char replacement;
            do
            {
                replacement = Base64UrlAlphabet[random.Next(64)];
            }
            while (replacement == token[i]);

            return string.Concat(token.AsSpan(0, i), [replacement], token.AsSpan(i + 1));
        }));
    }

    [Test]
    public void TruncationsAndExtensionsOfAValidTokenAreRejected()
    {
        string token = Cipher.Encrypt("cut me");
        IEnumerable<string> truncated = Enumerable.Range(0, token.Length).Select(n => token[..n]);
        IEnumerable<string> extended = ["A", "AA==", "AAAA", "=", " ", "\n"];

        AssertAllRejected(truncated.Concat(extended.Select(tail => token + tail)));
    }

    [Test]
    public void HugeAndNullInputsAreRejected()
    {
        byte[] huge = new byte[3 * 1024 * 1024];
        huge[0] = 0x80;
        BinaryPrimitives.WriteUInt64BigEndian(huge.AsSpan(1), ulong.MaxValue);

        AssertAllRejected([null!, new string('A', 8 * 1024 * 1024), new string('%', 1024 * 1024), Encode(huge)]);
    }

    private static void AssertAllRejected(IEnumerable<string> tokens)
    {
        var unexpected = new List<string>();
        foreach (string token in tokens)
        {
            try
            {
                Cipher.Decrypt(token);
                unexpected.Add($"accepted: {Describe(token)}");
            }
            catch (TokenDecryptionException)
            {
            }
#pragma warning disable CA1031 // The point of the test is to catch anything else that escapes.
            catch (Exception e)
#pragma warning restore CA1031
            {
                unexpected.Add($"{e.GetType().Name}: {Describe(token)}");
            }
        }

        Assert.That(unexpected, Is.Empty);
    }

    private static string Describe(string? token) => token is null ? "null" : token.Length > 80 ? $"{token[..80]}… ({token.Length} chars)" : token;

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');
}
