using System.Security.Cryptography;
using System.Text;

namespace JiraAuthServer.Infrastructure.Notifications;

/// <summary><c>X-Signature: sha256=&lt;hex&gt;</c>: HMAC-SHA256 of the exact body bytes, keyed with the UTF-8 secret.</summary>
public static class WebhookSignature
{
    public const string HeaderName = "X-Signature";

    public static string Sign(ReadOnlySpan<byte> body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
