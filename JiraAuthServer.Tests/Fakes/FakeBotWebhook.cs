using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace JiraAuthServer.Tests.Fakes;

/// <summary>
/// The bot's webhook endpoint on a real loopback socket: records every POST as it arrived, answers with the queued
/// status codes (then 200), and can hold answers back until the test releases them.
/// </summary>
public sealed class FakeBotWebhook : IAsyncDisposable
{
    private readonly ConcurrentQueue<int> statuses = new();
    private readonly List<FakeWebhookCall> calls = [];
    private readonly Lock gate = new();
    private readonly TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim arrived = new(0);
    private WebApplication? app;
    private volatile bool holding;
    private int answered;

    private FakeBotWebhook()
    {
    }

    /// <summary>The URL to put into <c>BOT_WEBHOOK_URL</c>.</summary>
    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<FakeWebhookCall> Calls
    {
        get { lock (gate) { return [.. calls]; } }
    }

    /// <summary>Calls that got their answer.</summary>
    public int Answered => Volatile.Read(ref answered);

    public static async Task<FakeBotWebhook> StartAsync()
    {
        var webhook = new FakeBotWebhook();
        webhook.app = FakeHost.Create();
        webhook.app.MapPost("/telegram/jira-events", webhook.ReceiveAsync);
        await webhook.app.StartAsync();
        webhook.Url = new Uri(FakeHost.BaseUrl(webhook.app) + "/telegram/jira-events");
        return webhook;
    }

    /// <summary>The next calls get these status codes, in order; later ones get 200.</summary>
    public void AnswerNext(params int[] codes)
    {
        foreach (var code in codes)
        {
            statuses.Enqueue(code);
        }
    }

    /// <summary>Calls are recorded at once but answered only after <see cref="Release"/>.</summary>
    public void Hold() => holding = true;

    public void Release() => release.TrySetResult();

    /// <summary>Waits until <paramref name="count"/> calls have arrived in all.</summary>
    public async Task<IReadOnlyList<FakeWebhookCall>> WaitForCallsAsync(int count, TimeSpan? limit = null)
    {
        using var timeout = new CancellationTokenSource(limit ?? TimeSpan.FromSeconds(30));
        while (Calls.Count < count)
        {
            try
            {
                await arrived.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"the webhook got {Calls.Count} calls, expected {count}");
            }
        }

        return Calls;
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        if (app is not null)
        {
            await FakeHost.StopAsync(app);
        }

        arrived.Dispose();
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var call = new FakeWebhookCall(
            body.ToArray(),
            context.Request.Headers["X-Signature"].ToString(),
            context.Request.ContentType,
            context.Request.Headers.UserAgent.ToString());
        lock (gate)
        {
            calls.Add(call);
        }

        arrived.Release();
        if (holding)
        {
            await release.Task.WaitAsync(context.RequestAborted);
        }

        context.Response.StatusCode = statuses.TryDequeue(out var status) ? status : 200;
        Interlocked.Increment(ref answered);
    }
}
