using System.Buffers.Text;
using System.Security.Cryptography;

namespace JiraAuthServer.Tests.Fakes;

/// <summary>Random opaque strings shaped like Atlassian's: access tokens are long (about 1 KB), the rest short.</summary>
internal static class FakeTokenValues
{
    public static string AccessToken(int bytes = 768) => "fake-at-" + Random(bytes);

    public static string RefreshToken(int bytes = 36) => "fake-rt-" + Random(bytes);

    public static string Code() => "fake-code-" + Random(24);

    public static string ConsentId() => Random(16);

    private static string Random(int bytes) => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(bytes));
}
