using JiraAuthServer.Core.Tokens;

namespace JiraAuthServer.Web.Hosting;

/// <summary>
/// Hosted services stop before the container disposes its singletons, the token store among them: this gives the
/// refresher's work in flight its last seconds while the store is still open (<see cref="GrantRefresher.DrainAsync"/>).
/// </summary>
public sealed class RefreshDrainService(GrantRefresher refresher) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => refresher.DrainAsync(cancellationToken);
}
