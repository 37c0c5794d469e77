namespace JiraAuthServer.Tests.Fakes;

/// <summary>A canned failure the fake answers instead of doing its work, for the next N requests of a kind.</summary>
public sealed record FakeFailure(int StatusCode, string Body, string ContentType = "application/json", string? RetryAfter = null)
{
    public static FakeFailure ServerError() =>
        new(500, """{"error":"server_error","error_description":"Internal Server Error"}""");

    /// <summary>A load balancer's 503: HTML, not JSON.</summary>
    public static FakeFailure ServiceUnavailable(string? retryAfter = null) =>
        new(503, "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>", "text/html", retryAfter);

    /// <param name="retryAfter">Seconds or an HTTP-date, sent verbatim.</param>
    public static FakeFailure TooManyRequests(string retryAfter = "7") =>
        new(429, """{"code":429,"message":"Rate limit exceeded"}""", RetryAfter: retryAfter);

    public static FakeFailure UnauthorizedClient() =>
        new(403, """{"error":"unauthorized_client","error_description":"refresh_token is invalid"}""");

    public static FakeFailure InvalidGrant() =>
        new(403, """{"error":"invalid_grant","error_description":"Unknown or invalid refresh token."}""");

    public static FakeFailure AccessDenied() =>
        new(401, """{"error":"access_denied","error_description":"Unauthorized"}""");
}
