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
    builder.Services.AddHostedService<RefreshDrainService>(); // stops after keep-alive (reverse order), before the webhook sender
    builder.Services.AddHostedService<KeepAliveService>();
    return StartupGuard.RunAsync(builder, app => app.UseServerPipeline());
}

/// <summary>The entry point, visible to the in-process tests.</summary>
public partial class Program;
