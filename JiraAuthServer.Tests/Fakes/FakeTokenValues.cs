using System.Buffers.Text;
using System.Security.Cryptography;

namespace JiraAuthServer.Tests.Fakes;

/// <summary>Random opaque strings shaped like Atlassian's: access tokens are long (about 1 KB), the rest short.</summary>
internal static class FakeTokenValues
{
    public static string AccessToken() => "fake-at-" + Random(768);

    public static string RefreshToken() => "fake-rt-" + Random(36);

    public static string Code() => "fake-code-" + Random(24);

    public static string ConsentId() => Random(16);

    private static string Random(int bytes) => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(bytes));
}
