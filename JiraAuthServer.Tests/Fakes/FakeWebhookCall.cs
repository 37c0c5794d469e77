using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Tests.Fakes;

/// <summary>One POST the fake bot received, exactly as it came.</summary>
public sealed record FakeWebhookCall(byte[] Body, string Signature, string? ContentType, string UserAgent)
{
    /// <summary>The body as JSON, timestamps left as the text they are.</summary>
    public JObject Json
    {
        get
        {
            using var reader = new Newtonsoft.Json.JsonTextReader(new StringReader(Encoding.UTF8.GetString(Body))) { DateParseHandling = Newtonsoft.Json.DateParseHandling.None };
            return JObject.Load(reader);
        }
    }

    /// <summary>Checks the signature as a bot would: HMAC-SHA256 of the raw body, compared in constant time.</summary>
    public bool IsSignedWith(string secret)
    {
        var expected = Encoding.ASCII.GetBytes("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Body)));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(Signature));
    }
}
