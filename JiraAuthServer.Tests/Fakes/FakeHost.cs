using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace JiraAuthServer.Tests.Fakes;

/// <summary>The bare loopback web host under each fake service: routing only, on a free port.</summary>
internal static class FakeHost
{
    /// <summary>A host to map endpoints on, not yet started.</summary>
    public static WebApplication Create()
    {
        // An empty builder reads no appsettings or environment, so nothing of the test host leaks into the fake.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        app.UseRouting();
        return app;
    }

    /// <summary>The started host's address, without a trailing slash, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public static string BaseUrl(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');

    public static async Task StopAsync(WebApplication app)
    {
        // A request held back by a delay must not hold up the test run: past this, connections are aborted.
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await app.StopAsync(patience.Token);
        await app.DisposeAsync();
    }
}
