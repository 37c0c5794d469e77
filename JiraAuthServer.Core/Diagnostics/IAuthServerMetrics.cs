namespace JiraAuthServer.Core.Diagnostics;

/// <summary>The business counters Core reports; Web exports them to Prometheus.</summary>
public interface IAuthServerMetrics
{
    void AuthorizationCompleted();

    void AuthorizationFailed(string reason);

    void Refreshed(string outcome);
}
