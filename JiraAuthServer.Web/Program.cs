using JiraAuthServer.Core;
using JiraAuthServer.Infrastructure;
using JiraAuthServer.Web.Hosting;
using JiraAuthServer.Web.Sandbox;

return await ServerCommandLine.RunAsync(args, RunServerAsync);

static Task<int> RunServerAsync(string[] args)
{
    ServerConfiguration.LoadDotEnv();
    var builder = WebApplication.CreateBuilder(args);
    builder.AddServerConfiguration();
    builder.AddSandboxWhenUnconfigured();
    builder.Services.AddServerSettings(builder.Configuration);
    builder.Services.AddCore();
    builder.Services.AddInfrastructure(builder.Configuration);
    builder.Services.AddWebApi();
    builder.Services.AddSystemd(); // under systemd, READY=1 once the host has started: after StartupGuard opened the stores
    builder.Services.AddHostedService<RefreshDrainService>(); // drains in the stopping phase, before any service (the web server included) stops
    builder.Services.AddHostedService<KeepAliveService>();
    return StartupGuard.RunAsync(builder, app => app.UseServerPipeline());
}

/// <summary>The entry point, visible to the in-process tests.</summary>
public partial class Program;
