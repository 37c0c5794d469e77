using System.Buffers.Text;
using JiraAuthServer.Infrastructure.Crypto;

namespace JiraAuthServer.Tests.Infrastructure.Crypto;

internal static class FernetTestKeys
{
    public static FernetTokenCipher CipherFor(params string[] keys) => new(FernetKeyRing.Parse(string.Join(',', keys)));

    public static FernetTokenCipher CipherFor(params FernetKey[] keys) => new(new FernetKeyRing(keys));

    /// <summary>The u64 big-endian timestamp inside a token, read independently of the cipher.</summary>
    public static ulong TimestampOf(string token) =>
        System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(Base64Url.DecodeFromChars(token).AsSpan(1, 8));

    public static byte[] IvOf(string token) => Base64Url.DecodeFromChars(token).AsSpan(9, 16).ToArray();
}
