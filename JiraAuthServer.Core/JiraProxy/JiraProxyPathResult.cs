namespace JiraAuthServer.Core.JiraProxy;

/// <summary>Either the target of a Jira call or what is wrong with its path.</summary>
public sealed record JiraProxyPathResult
{
    public JiraProxyTarget? Target { get; private init; }

    public string? Error { get; private init; }

    public static JiraProxyPathResult Valid(JiraProxyTarget target) => new() { Target = target };

    public static JiraProxyPathResult Invalid(string error) => new() { Error = error };
}
