using JiraAuthServer.Core.Diagnostics;

namespace JiraAuthServer.Tests.Support;

public sealed class NoMetrics : IAuthServerMetrics
{
    public void AuthorizationCompleted()
    {
    }

    public void AuthorizationFailed(string reason)
    {
    }

    public void Refreshed(string outcome)
    {
    }
}
