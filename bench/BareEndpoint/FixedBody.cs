using System.Text;

namespace BareEndpoint;

/// <summary>The one JSON body every request is answered with, <c>{"access_token": "xxx…"}</c> of the size asked for.</summary>
public sealed class FixedBody
{
    public const string ContentType = "application/json; charset=utf-8";

    public FixedBody(int size)
    {
        const string Prefix = "{\"access_token\": \"";
        Bytes = Encoding.ASCII.GetBytes(Prefix + new string('x', Math.Max(0, size - Prefix.Length - 2)) + "\"}");
    }

    public ReadOnlyMemory<byte> Bytes { get; }

    public Task WriteToAsync(HttpResponse response)
    {
        response.ContentType = ContentType;
        response.ContentLength = Bytes.Length;
        return response.Body.WriteAsync(Bytes).AsTask();
    }
}
