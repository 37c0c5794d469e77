using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using JiraAuthServer.Core.Atlassian;

namespace JiraAuthServer.Infrastructure.Atlassian;

/// <summary>Classifies an unsuccessful answer: a dead grant, a passing outage, or any other refusal.</summary>
internal static partial class AtlassianFailures
{
    public static AtlassianException FromStatus(string endpoint, HttpStatusCode statusCode, HttpResponseHeaders headers, byte[]? body, DateTimeOffset now)
    {
        var status = (int)statusCode;
        var errorCode = body is null ? null : ErrorCode(body);
        var message = errorCode is null ? $"Atlassian {endpoint} answered {status}" : $"Atlassian {endpoint} answered {status} ({errorCode})";
        if (status is 400 or 401 or 403 && errorCode is "invalid_grant" or "unauthorized_client")
        {
            return new AtlassianException(AtlassianFailureKind.GrantRejected, message, status, errorCode);
        }

        // 408 is a timeout said out loud: as transient as one that is not.
        if (status is 408 or 429 or >= 500)
        {
            return new AtlassianException(AtlassianFailureKind.Transient, message, status, errorCode, RetryAfter(headers.RetryAfter, now));
        }

        return new AtlassianException(AtlassianFailureKind.Rejected, message, status, errorCode);
    }

    public static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now)
    {
        var delay = header?.Delta ?? (header?.Date is { } date ? date - now : null);
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
    }

    // The error field ends up in messages and logs, so only a word shaped like an OAuth error code (invalid_grant) is
    // kept: a server that echoes a token there must not get it logged.
    private static string? ErrorCode(byte[] body) =>
        AtlassianJson.TryParse(body) is { } json && AtlassianJson.String(json, "error") is { } error && error.Length <= 40 && OAuthErrorCode().IsMatch(error) ? error : null;

    [GeneratedRegex("^[a-z]+(_[a-z]+)*$")]
    private static partial Regex OAuthErrorCode();
}
