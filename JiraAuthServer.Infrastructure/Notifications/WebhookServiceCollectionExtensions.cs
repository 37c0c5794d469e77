using JiraAuthServer.Core.Notifications;
using JiraAuthServer.Core.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace JiraAuthServer.Infrastructure.Notifications;

public static class WebhookServiceCollectionExtensions
{
    /// <summary>
    /// Grant events go to <c>BOT_WEBHOOK_URL</c> when it is set (checked when the options are first read, so tests
    /// and <c>.env</c> files configure it like any other setting); otherwise they go nowhere.
    /// </summary>
    public static IServiceCollection AddBotWebhook(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Configure(options =>
        {
            var url = configuration[SettingNames.BotWebhookUrl]?.Trim();
            options.Url = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : null;
            var secret = configuration[SettingNames.WebhookSecret]?.Trim();
            options.Secret = string.IsNullOrEmpty(secret) ? configuration[SettingNames.InternalApiKey]?.Trim() ?? string.Empty : secret;
        });
        services.AddSingleton<WebhookOutbox>();
        services.Replace(ServiceDescriptor.Singleton<IGrantEvents>(provider => provider.GetRequiredService<WebhookOutbox>()));
        services.AddHostedService<WebhookDispatcher>();
        services.AddHttpClient<WebhookSender>(client =>
            {
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.UserAgent.ParseAdd("JiraAuthServer-Webhook/1");
            })
            // A redirect would resend the signed body to wherever it points; the configured URL is the only target.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        return services;
    }
}
