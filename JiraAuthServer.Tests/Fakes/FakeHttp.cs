using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace JiraAuthServer.Tests.Fakes;

/// <summary>Small response writers shared by the fake's endpoints.</summary>
internal static class FakeHttp
{
    public static Task WriteJsonAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    public static Task WriteErrorAsync(HttpContext context, int status, string error, string description) =>
        WriteJsonAsync(context, status, new JsonObject { ["error"] = error, ["error_description"] = description });

    public static Task WriteFailureAsync(HttpContext context, FakeFailure failure)
    {
        context.Response.StatusCode = failure.StatusCode;
        context.Response.ContentType = failure.ContentType;
        if (failure.RetryAfter is not null)
        {
            context.Response.Headers.RetryAfter = failure.RetryAfter;
        }

        return context.Response.WriteAsync(failure.Body, context.RequestAborted);
    }

    public static Task WriteHtmlAsync(HttpContext context, int status, string title, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        var page = $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{Encode(title)}</title></head><body>{body}</body></html>";
        return context.Response.WriteAsync(page, Encoding.UTF8, context.RequestAborted);
    }

    public static string Encode(string text) => System.Net.WebUtility.HtmlEncode(text);

    public static string? BearerToken(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..].Trim() : null;
    }

    /// <summary>Waits as a slow Atlassian would; a client that gave up ends the wait.</summary>
    public static async Task<bool> DelayAsync(HttpContext context, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            return true;
        }

        try
        {
            await Task.Delay(delay, context.RequestAborted);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
