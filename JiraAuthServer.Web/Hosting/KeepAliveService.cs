using JiraAuthServer.Core.KeepAlive;
using JiraAuthServer.Core.Options;
using Microsoft.Extensions.Options;

namespace JiraAuthServer.Web.Hosting;

/// <summary>
/// Runs a keep-alive pass shortly after start and then <c>KEEPALIVE_INTERVAL</c> after each pass ends, so passes
/// never overlap. A failed pass is logged and the next one comes as usual.
/// </summary>
public sealed partial class KeepAliveService(
    KeepAlivePass pass,
    IKeepAliveGate gate,
    IOptions<KeepAliveOptions> options,
    TimeProvider time,
    ILogger<KeepAliveService> logger) : BackgroundService
{
    /// <summary>Long enough to let a start settle, short enough that frequent restarts still run passes.</summary>
    public static readonly TimeSpan FirstPassDelay = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(FirstPassDelay, time, stoppingToken);
            while (true)
            {
                await RunOnceAsync(stoppingToken);
                await Task.Delay(options.Value.Interval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var turn = await gate.TryEnterAsync(stoppingToken);
            if (turn is null)
            {
                LogNotOurTurn();
                return;
            }

            await pass.RunAsync(stoppingToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            LogPassFailed(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Keep-alive pass left to another instance")]
    private partial void LogNotOurTurn();

    [LoggerMessage(Level = LogLevel.Error, Message = "Keep-alive pass failed; the next one runs as scheduled")]
    private partial void LogPassFailed(Exception exception);
}
