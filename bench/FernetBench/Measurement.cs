using System.Diagnostics;

namespace FernetBench;

/// <summary>Median time and mean managed allocation per call, measured on the current thread.</summary>
internal static class Measurement
{
    private const int WarmupCalls = 50_000;
    private const int Rounds = 9;
    private const int CallsPerRound = 20_000;

    private static string? _sink;

    public static (double NanosecondsPerCall, double BytesPerCall) Run(Func<string> call)
    {
        for (int i = 0; i < WarmupCalls; i++)
        {
            _sink = call();
        }

        double[] nanoseconds = new double[Rounds];
        long allocated = 0;
        for (int round = 0; round < Rounds; round++)
        {
            long bytesBefore = GC.GetAllocatedBytesForCurrentThread();
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < CallsPerRound; i++)
            {
                _sink = call();
            }

            TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
            allocated += GC.GetAllocatedBytesForCurrentThread() - bytesBefore;
            nanoseconds[round] = elapsed.TotalNanoseconds / CallsPerRound;
        }

        Array.Sort(nanoseconds);
        GC.KeepAlive(_sink);
        return (nanoseconds[Rounds / 2], (double)allocated / (Rounds * CallsPerRound));
    }
}
