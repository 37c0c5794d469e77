using JiraAuthServer.Core.Diagnostics;
using Prometheus;

namespace JiraAuthServer.Web.Diagnostics;

public sealed class PrometheusAuthServerMetrics : IAuthServerMetrics
{
    private static readonly Counter Completed = Metrics.CreateCounter(
        "jira_auth_authorizations_completed_total", "Authorizations that stored a grant");

    private static readonly Counter Failed = Metrics.CreateCounter(
        "jira_auth_authorizations_failed_total", "Callbacks that did not store a grant, by reason", "reason");

    private static readonly Counter Refreshes = Metrics.CreateCounter(
        "jira_auth_refreshes_total", "Token refreshes by outcome", "outcome");

    public void AuthorizationCompleted() => Completed.Inc();

    public void AuthorizationFailed(string reason) => Failed.WithLabels(reason).Inc();

    public void Refreshed(string outcome) => Refreshes.WithLabels(outcome).Inc();
}
