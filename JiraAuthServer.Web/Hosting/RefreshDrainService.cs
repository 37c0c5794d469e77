using JiraAuthServer.Core.Tokens;

namespace JiraAuthServer.Web.Hosting;

/// <summary>
/// Gives the refresher's work in flight its last seconds at a graceful stop (<see cref="GrantRefresher.DrainAsync"/>),
/// in the stopping phase: before any hosted service stops, so the web server still listens (and <c>/health/ready</c>
/// answers 503) while the requests waiting on a refresh get their answers, and long before the container disposes its
/// singletons, the token store among them.
/// </summary>
public sealed class RefreshDrainService(GrantRefresher refresher) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => refresher.DrainAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
