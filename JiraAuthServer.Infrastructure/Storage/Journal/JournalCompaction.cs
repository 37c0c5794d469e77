using Microsoft.Extensions.Logging;

namespace JiraAuthServer.Infrastructure.Storage.Journal;

/// <summary>
/// Folds the journal into the snapshot in the background: the writer seals the active journal (a rename) and goes on
/// appending to a new one while the snapshot is rewritten from memory; the sealed journals go once the new snapshot
/// is durable. Until then a restart replays them, which gives the same grants whether the snapshot was written yet
/// or not (every line holds a whole record, so replaying one the snapshot already has changes nothing).
/// </summary>
internal sealed partial class JournalCompaction(JournalAppender appender, Action writeSnapshot, long? fixedThreshold, string snapshotPath, ILogger logger)
{
    /// <summary>The journal is compacted once it reaches a quarter of the snapshot, within these bounds.</summary>
    public const long SmallestThreshold = 16L << 20;

    public const long LargestThreshold = 32L << 20;

    private Task running = Task.CompletedTask;
    private long snapshotLength = File.Exists(snapshotPath) ? new FileInfo(snapshotPath).Length : 0;
    private long compactions;

    /// <summary>Compactions completed; for tests and the benchmark.</summary>
    public long Count => Interlocked.Read(ref compactions);

    /// <summary>Journal bytes that start a compaction now.</summary>
    public long Threshold => fixedThreshold ?? DefaultThreshold(Volatile.Read(ref snapshotLength));

    /// <summary>A quarter of the snapshot, within <see cref="SmallestThreshold"/> and <see cref="LargestThreshold"/>.</summary>
    public static long DefaultThreshold(long snapshotLength) => Math.Clamp(snapshotLength / 4, SmallestThreshold, LargestThreshold);

    /// <summary>Called by the single writer after each append: starts a compaction when the journal is long enough.</summary>
    public void AfterAppend()
    {
        if (appender.ActiveLength >= Threshold && running.IsCompleted)
        {
            Start();
        }
    }

    /// <summary>Starts one now (at start-up, when a crash left journals behind), unless one runs.</summary>
    public void Start()
    {
        if (!running.IsCompleted)
        {
            return;
        }

        try
        {
            appender.Seal();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            LogFailed(logger, exception, snapshotPath);
            return;
        }

        // A thread of its own: seconds of writing must not hold a pool thread the writer and the requests need.
        running = Task.Factory.StartNew(Compact, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>At a graceful stop, after the last change: waits for a running compaction, then folds in the rest.</summary>
    public async Task FinishAsync()
    {
        await running.ConfigureAwait(false);
        if (!appender.HasChanges)
        {
            return;
        }

        try
        {
            writeSnapshot();
            appender.DeleteAll();
            Interlocked.Increment(ref compactions);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            LogFailed(logger, exception, snapshotPath);
        }
    }

    private void Compact()
    {
        try
        {
            writeSnapshot();
            appender.DeleteSealed();
            Volatile.Write(ref snapshotLength, new FileInfo(snapshotPath).Length);
            Interlocked.Increment(ref compactions);
            LogCompacted(logger, snapshotPath);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The sealed journals stay and are replayed or folded in by the next compaction.
            LogFailed(logger, exception, snapshotPath);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Compacted the journal into {Path}")]
    private static partial void LogCompacted(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Compacting the journal into {Path} failed; the journal is kept and replayed at the next start")]
    private static partial void LogFailed(ILogger logger, Exception exception, string path);
}
