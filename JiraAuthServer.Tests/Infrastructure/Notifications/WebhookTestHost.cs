using JiraAuthServer.Core.Notifications;
using JiraAuthServer.Infrastructure.Notifications;
using JiraAuthServer.Tests.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace JiraAuthServer.Tests.Infrastructure.Notifications;

/// <summary>The webhook services as the server registers them, with the dispatcher running, aimed at a fake bot.</summary>
internal sealed class WebhookTestHost : IAsyncDisposable
{
    private readonly ServiceProvider services;
    private readonly WebhookDispatcher dispatcher;

    private WebhookTestHost(ServiceProvider services)
    {
        this.services = services;
        dispatcher = services.GetServices<IHostedService>().OfType<WebhookDispatcher>().Single();
        Logs = services.GetRequiredService<RecordingLoggerProvider>();
    }

    public IGrantEvents Events => services.GetRequiredService<IGrantEvents>();

    public RecordingLoggerProvider Logs { get; }

    public static async Task<WebhookTestHost> StartAsync(Dictionary<string, string?> settings, Action<WebhookOptions>? tune = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var collection = new ServiceCollection();
        var logs = new RecordingLoggerProvider();
        collection.AddSingleton(logs);
        collection.AddLogging(logging => logging.AddProvider(logs));
        collection.AddSingleton(TimeProvider.System);
        collection.AddBotWebhook(configuration);
        collection.PostConfigure<WebhookOptions>(options =>
        {
            options.FirstRetryDelay = TimeSpan.FromMilliseconds(10);
            options.MaxRetryDelay = TimeSpan.FromMilliseconds(50);
            tune?.Invoke(options);
        });
        var host = new WebhookTestHost(collection.BuildServiceProvider());
        await host.dispatcher.StartAsync(CancellationToken.None);
        return host;
    }

    public static Dictionary<string, string?> Settings(FakeBotWebhook bot, string? secret = "webhook-secret", string apiKey = "api-key") => new()
    {
        ["BOT_WEBHOOK_URL"] = bot.Url.ToString(),
        ["WEBHOOK_SECRET"] = secret,
        ["INTERNAL_API_KEY"] = apiKey,
    };

    public async ValueTask DisposeAsync()
    {
        await dispatcher.StopAsync(CancellationToken.None);
        await services.DisposeAsync();
    }
}
