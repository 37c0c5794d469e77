using Microsoft.Extensions.Time.Testing;

namespace JiraAuthServer.Tests.Support;

/// <summary>
/// Waiting for work that runs in the background (a retry, a keep-alive pass) without timing assertions: the real
/// deadlines are generous and only bound a test that would otherwise hang.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan RealDeadline = TimeSpan.FromSeconds(30);

    /// <summary>Polls until <paramref name="condition"/> holds; false when the real deadline passed first.</summary>
    public static async Task<bool> TrueAsync(Func<bool> condition, TimeSpan? deadline = null)
    {
        var until = DateTime.UtcNow + (deadline ?? RealDeadline);
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                return false;
            }

            await Task.Delay(10);
        }

        return true;
    }

    /// <summary>
    /// Moves the fake clock forward step by step, giving background work real time to react after each step, until
    /// <paramref name="condition"/> holds or <paramref name="limit"/> of fake time has passed.
    /// </summary>
    /// <returns>Whether the condition held.</returns>
    public static async Task<bool> AdvanceUntilAsync(this FakeTimeProvider clock, Func<bool> condition, TimeSpan step, TimeSpan limit)
    {
        var until = clock.GetUtcNow() + limit;
        var realUntil = DateTime.UtcNow + RealDeadline;
        while (!condition())
        {
            if (clock.GetUtcNow() >= until || DateTime.UtcNow > realUntil)
            {
                return condition();
            }

            clock.Advance(step);
            await Settle();
        }

        return true;
    }

    /// <summary>Lets continuations queued on the thread pool run (they do not need the fake clock).</summary>
    public static async Task Settle()
    {
        for (var i = 0; i < 3; i++)
        {
            await Task.Delay(5);
        }
    }
}
