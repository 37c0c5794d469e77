using System.Threading.Channels;
using JiraAuthServer.Core.Notifications;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JiraAuthServer.Infrastructure.Notifications;

/// <summary>
/// Takes events from Core without waiting: they go into a bounded queue that <see cref="WebhookDispatcher"/> empties
/// in the background, so a slow or unreachable bot never holds up the user's page.
/// </summary>
public sealed partial class WebhookOutbox : IGrantEvents
{
    private readonly Channel<GrantEvent> channel;
    private readonly bool enabled;
    private readonly ILogger<WebhookOutbox> logger;

    public WebhookOutbox(IOptions<WebhookOptions> options, ILogger<WebhookOutbox> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        enabled = options.Value.Url is not null;
        this.logger = logger;
        channel = Channel.CreateBounded<GrantEvent>(new BoundedChannelOptions(Math.Max(1, options.Value.QueueCapacity))
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    internal ChannelReader<GrantEvent> Reader => channel.Reader;

    public bool Raise(GrantEvent grantEvent)
    {
        ArgumentNullException.ThrowIfNull(grantEvent);
        if (!enabled)
        {
            return false;
        }

        if (!channel.Writer.TryWrite(grantEvent))
        {
            LogDropped(grantEvent.Kind, grantEvent.TelegramUserId);
            return false;
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bot webhook queue is full: {Kind} event for user {TelegramUserId} dropped")]
    private partial void LogDropped(GrantEventKind kind, long telegramUserId);
}
