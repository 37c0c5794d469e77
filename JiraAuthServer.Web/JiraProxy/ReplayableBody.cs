using Microsoft.AspNetCore.Http.Features;

namespace JiraAuthServer.Web.JiraProxy;

/// <summary>
/// Keeps a small request body so that the call can be sent twice (after a refresh); a large one, or one of unknown
/// length, is streamed once and the call is not repeated.
/// </summary>
public static class ReplayableBody
{
    /// <returns>The kept bytes (empty when there is no body), or null when the body is streamed and cannot be sent again.</returns>
    public static async Task<byte[]?> TryKeepAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == false || request.ContentLength == 0)
        {
            return [];
        }

        if (request.ContentLength is not { } length || length > limit)
        {
            return null;
        }

        var kept = new byte[length];
        await request.Body.ReadExactlyAsync(kept, cancellationToken);
        Rewind(request, kept);
        return kept;
    }

    /// <summary>Gives the next attempt the kept body from its start.</summary>
    public static void Rewind(HttpRequest request, byte[] kept)
    {
        if (kept.Length > 0)
        {
            request.Body = new MemoryStream(kept, writable: false);
        }
    }
}
