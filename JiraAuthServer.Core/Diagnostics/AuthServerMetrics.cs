using System.Diagnostics.Metrics;

namespace JiraAuthServer.Core.Diagnostics;

/// <summary>
/// Business counters on a .NET <see cref="Meter"/>, so Core needs no metrics package; Web exports them to Prometheus.
/// </summary>
public sealed class AuthServerMetrics : IDisposable
{
    public const string MeterName = "JiraAuthServer";

    private readonly Meter meter = new(MeterName);
    private readonly Counter<long> authorizationsCompleted;
    private readonly Counter<long> authorizationsFailed;
    private readonly Counter<long> refreshes;

    public AuthServerMetrics()
    {
        authorizationsCompleted = meter.CreateCounter<long>("jira_auth_authorizations_completed", description: "Authorizations that stored a grant");
        authorizationsFailed = meter.CreateCounter<long>("jira_auth_authorizations_failed", description: "Callbacks that did not store a grant, by reason");
        refreshes = meter.CreateCounter<long>("jira_auth_refreshes", description: "Token refreshes by outcome");
    }

    public void AuthorizationCompleted() => authorizationsCompleted.Add(1);

    public void AuthorizationFailed(string reason) => authorizationsFailed.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Refreshed(string outcome) => refreshes.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Dispose() => meter.Dispose();
}
