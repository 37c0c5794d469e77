using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace JiraAuthServer.Tests.Fakes;

/// <summary>
/// Jira Cloud's REST API behind <c>/ex/jira/{cloudId}/rest/...</c>: a live Bearer token and a known site, else 401
/// or 404 as Jira answers; every call recorded with its headers. Answers like Jira's: a JSON description of the call
/// with Atlassian's rate-limit headers (and headers the proxy must not pass on: a cookie, a request id), attachment
/// content as a stream of bytes, an attachment upload that needs <c>X-Atlassian-Token: no-check</c>.
/// </summary>
internal sealed class FakeJiraRest(FakeAtlassianServer server, FakeTokenStore store)
{
    public const string AttachmentContentPath = "rest/api/3/attachment/content/";

    private readonly Lock gate = new();
    private readonly List<FakeJiraRequest> requests = [];

    public IReadOnlyList<FakeJiraRequest> Requests
    {
        get { lock (gate) { return [.. requests]; } }
    }

    public async Task HandleAsync(HttpContext context)
    {
        var (bytes, sha256) = await ReadBodyAsync(context);
        var token = FakeHttp.BearerToken(context);
        lock (gate)
        {
            requests.Add(new FakeJiraRequest(
                context.Request.Method,
                context.Features.Get<IHttpRequestFeature>()!.RawTarget,
                context.Request.Headers.ToDictionary(header => header.Key, header => header.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                token,
                bytes,
                sha256));
        }

        var failure = server.TakeJiraFailure();
        if (!await FakeHttp.DelayAsync(context, server.ApiResponseDelay))
        {
            return;
        }

        if (store.UserOf(token) is null)
        {
            await FakeHttp.WriteJsonAsync(context, 401, new JsonObject { ["code"] = 401, ["message"] = "Unauthorized; scope does not match" });
            return;
        }

        var cloudId = context.Request.RouteValues["cloudId"]?.ToString();
        if (!server.Sites.Any(site => site.Id == cloudId))
        {
            await FakeHttp.WriteJsonAsync(context, 404, new JsonObject { ["errorMessages"] = new JsonArray("Site not found"), ["errors"] = new JsonObject() });
            return;
        }

        if (failure is not null)
        {
            await FakeHttp.WriteFailureAsync(context, failure);
            return;
        }

        var path = "rest/" + context.Request.RouteValues["path"];
        if (HttpMethods.IsGet(context.Request.Method) && path.StartsWith(AttachmentContentPath, StringComparison.Ordinal))
        {
            await WriteAttachmentAsync(context, path[AttachmentContentPath.Length..]);
            return;
        }

        if (path.EndsWith("/attachments", StringComparison.Ordinal) && context.Request.Headers["X-Atlassian-Token"] != "no-check")
        {
            await FakeHttp.WriteJsonAsync(context, 403, new JsonObject { ["message"] = "XSRF check failed" });
            return;
        }

        await WriteEchoAsync(context, path, bytes, sha256);
    }

    /// <summary>The bytes of a generated attachment of the given size: byte i is i mod 251.</summary>
    public static byte ContentByte(long index) => (byte)(index % 251);

    private static async Task WriteEchoAsync(HttpContext context, string path, long bytes, string sha256)
    {
        var status = HttpMethods.IsPost(context.Request.Method) ? 201 : HttpMethods.IsDelete(context.Request.Method) ? 204 : 200;
        var headers = context.Response.Headers;
        headers["X-RateLimit-Limit"] = "100";
        headers["X-RateLimit-Remaining"] = "99";
        headers["X-RateLimit-NearLimit"] = "false";
        headers["X-AREQUESTID"] = "fake-request-id";
        headers.SetCookie = "atlassian.xsrf.token=fake; Path=/";
        if (status == 201)
        {
            headers.Location = $"https://example.atlassian.net/{path}/10001";
        }

        if (status == 204)
        {
            context.Response.StatusCode = status;
            return;
        }

        await FakeHttp.WriteJsonAsync(context, status, new JsonObject
        {
            ["method"] = context.Request.Method,
            ["path"] = path,
            ["query"] = context.Request.QueryString.Value,
            ["bodyBytes"] = bytes,
            ["bodySha256"] = sha256,
        });
    }

    private static async Task WriteAttachmentAsync(HttpContext context, string size)
    {
        if (!long.TryParse(size, out var length) || length < 0)
        {
            await FakeHttp.WriteJsonAsync(context, 404, new JsonObject { ["errorMessages"] = new JsonArray("The attachment does not exist") });
            return;
        }

        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = length;
        var buffer = new byte[64 * 1024];
        for (long sent = 0; sent < length;)
        {
            var count = (int)Math.Min(buffer.Length, length - sent);
            for (var i = 0; i < count; i++)
            {
                buffer[i] = ContentByte(sent + i);
            }

            await context.Response.Body.WriteAsync(buffer.AsMemory(0, count), context.RequestAborted);
            sent += count;
        }
    }

    private static async Task<(long Bytes, string Sha256)> ReadBodyAsync(HttpContext context)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            total += read;
        }

        return (total, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }
}
