using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace JiraAuthServer.Web.Security;

/// <summary>
/// Counts wrong API keys per client (see <see cref="ClientAddress.PartitionOf"/>) in a fixed window that opens with
/// the first failure. Once a client reaches the limit, every request of it that carries a key is refused until the
/// window ends, the right key included: were the right key let through, a guesser could tell it from a wrong one
/// while locked out, and the limit would not slow guessing at all.
/// </summary>
public sealed class ApiKeyLockout(IOptions<RateLimitOptions> options, TimeProvider time)
{
    private const int SweepAbove = 1_000;

    private readonly RateLimitOptions limits = options.Value;
    private readonly ConcurrentDictionary<string, FailureWindow> windows = new(StringComparer.Ordinal);
    private long nextSweepTicks;
    private long lastFailureTicks;

    public bool Enabled => limits.KeyFailures > 0;

    public int Limit => limits.KeyFailures;

    public TimeSpan Window => limits.Window;

    /// <summary>
    /// Whether the request's client is locked out. Nobody is unless a key failed within the last window, so in the
    /// usual case (the bot with the right key) the client's address is not even worked out.
    /// </summary>
    public bool IsLockedOut(HttpContext context, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (!Enabled
            || time.GetUtcNow().UtcTicks - Interlocked.Read(ref lastFailureTicks) >= limits.Window.Ticks
            || !windows.TryGetValue(ClientAddress.PartitionOf(context), out var window))
        {
            return false;
        }

        lock (window)
        {
            retryAfter = window.Start + limits.Window - time.GetUtcNow();
            return window.Failures >= limits.KeyFailures && retryAfter > TimeSpan.Zero;
        }
    }

    /// <returns>True when this failure locked the client out.</returns>
    public bool RecordFailure(string client)
    {
        if (!Enabled)
        {
            return false;
        }

        var now = time.GetUtcNow();
        NoteFailureAt(now.UtcTicks);
        SweepEndedWindows(now);
        var window = windows.GetOrAdd(client, _ => new FailureWindow(now));
        lock (window)
        {
            if (window.Start + limits.Window <= now)
            {
                window.Start = now;
                window.Failures = 0;
            }

            window.Failures++;
            return window.Failures == limits.KeyFailures;
        }
    }

    /// <summary>Keeps the latest failure time, whichever of two failures at once writes last.</summary>
    private void NoteFailureAt(long ticks)
    {
        var seen = Interlocked.Read(ref lastFailureTicks);
        while (ticks > seen)
        {
            var previous = Interlocked.CompareExchange(ref lastFailureTicks, ticks, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    /// <summary>Keeps memory bounded by the clients that failed within one window.</summary>
    private void SweepEndedWindows(DateTimeOffset now)
    {
        var due = Interlocked.Read(ref nextSweepTicks);
        if (windows.Count <= SweepAbove || now.UtcTicks < due || Interlocked.CompareExchange(ref nextSweepTicks, (now + limits.Window).UtcTicks, due) != due)
        {
            return;
        }

        foreach (var (client, window) in windows)
        {
            bool ended;
            lock (window)
            {
                ended = window.Start + limits.Window <= now;
            }

            if (ended)
            {
                windows.TryRemove(KeyValuePair.Create(client, window));
            }
        }
    }

    private sealed class FailureWindow(DateTimeOffset start)
    {
        public DateTimeOffset Start { get; set; } = start;

        public int Failures { get; set; }
    }
}
