namespace JiraAuthServer.Tests.Fakes;

/// <summary>One call the fake Jira REST received, as it arrived: the raw target, every header, the token and the body's size and hash.</summary>
public sealed record FakeJiraRequest(
    string Method,
    string RawTarget,
    IReadOnlyDictionary<string, string> Headers,
    string? BearerToken,
    long BodyBytes,
    string BodySha256);
