using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using JiraAuthServer.Core.Authorization;
using JiraAuthServer.Infrastructure.Storage.Journal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>
/// Pending authorization states beside the token file, so a link issued just before a restart still works after it,
/// and a used state stays used. Kept like the token file: a snapshot (<c>&lt;TOKENS_FILE&gt;.states</c>) and a journal
/// beside it that each add or take is appended to (group commit, fsynced before it returns), compacted in the
/// background and at a graceful stop, so a change costs its own size, not the store's. A take that finds nothing
/// writes nothing, so forged states cost no disk I/O. Expired states are dropped from memory at every commit and
/// left out of every snapshot, and at most <see cref="DefaultCapacity"/> are kept (the soonest to expire go first).
/// </summary>
public sealed partial class JsonFileAuthStateStore : IAuthStateStore, IAsyncDisposable
{
    /// <summary>Far above what thousands of users asking for a link within one state lifetime need.</summary>
    public const int DefaultCapacity = 100_000;

    private readonly ConcurrentDictionary<string, PendingAuthorization> states;
    private readonly GroupCommitQueue<AuthStateChange> changes;
    private readonly JournalAppender journal;
    private readonly JournalCompaction compaction;
    private readonly JournalLineWriter lines = new();
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly int capacity;

    // The writer's own index of when each state expires, so dropping expired and excess states costs O(log n) per
    // change instead of a scan; entries of states taken or re-added meanwhile are skipped when they come up.
    private readonly PriorityQueue<string, DateTimeOffset> expiries = new();
    private long writeCount;
    private int disposed;

    private JsonFileAuthStateStore(string path, ConcurrentDictionary<string, PendingAuthorization> states, JournalState replayed, bool damaged, TimeProvider time, ILogger logger, int capacity, long? compactionThreshold)
    {
        FilePath = path;
        this.states = states;
        this.time = time;
        this.logger = logger;
        this.capacity = capacity;
        RebuildExpiries();
        DropExpiredAndExcess(time.GetUtcNow());
        if (damaged)
        {
            replayed = StartClean();
        }

        journal = new JournalAppender(path, replayed);
        compaction = new JournalCompaction(journal, WriteSnapshot, compactionThreshold, path, logger);
        if (replayed.HasJournal)
        {
            // Left by a crash: folded into the snapshot in the background.
            compaction.Start();
        }

        changes = new GroupCommitQueue<AuthStateChange>(Commit);
    }

    /// <summary>The snapshot, as a full path; the journal is <c>&lt;FilePath&gt;.journal</c>.</summary>
    public string FilePath { get; }

    /// <summary>States issued and neither taken nor dropped yet (expired ones included until the next commit).</summary>
    public int Count => states.Count;

    /// <summary>How many journal appends (each one fsync) stored changes.</summary>
    internal long WriteCount => Interlocked.Read(ref writeCount);

    /// <summary>Compactions completed since the store opened.</summary>
    internal long CompactionCount => compaction.Count;

    /// <summary>
    /// Loads <paramref name="path"/> and replays its journal. Only one process may use it: the caller holds the token
    /// file's lock. A damaged snapshot or journal is not a reason to stop the server: it costs only the links in
    /// flight, so it is logged, the store starts with what could be read, and that is written to a clean snapshot at
    /// once, so nothing is later appended behind the damage.
    /// </summary>
    /// <param name="path">The snapshot, <c>&lt;TOKENS_FILE&gt;.states</c>.</param>
    /// <param name="time">Decides which states have expired.</param>
    /// <param name="logger">Where loading, damage and compaction report.</param>
    /// <param name="capacity">The most states kept.</param>
    /// <param name="compactionThreshold">Journal bytes that start a compaction; null: a quarter of the snapshot, 16–32 MB.</param>
    public static JsonFileAuthStateStore Open(string path, TimeProvider time, ILogger<JsonFileAuthStateStore>? logger = null, int capacity = DefaultCapacity, long? compactionThreshold = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        var fullPath = Path.GetFullPath(path);
        var log = (ILogger?)logger ?? NullLogger.Instance;
        AtomicFileWriter.DeleteStaleTemporaryFiles(fullPath);
        var damaged = false;
        ConcurrentDictionary<string, PendingAuthorization> states;
        try
        {
            states = new ConcurrentDictionary<string, PendingAuthorization>(AuthStateFile.Read(fullPath), StringComparer.Ordinal);
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            LogUnreadable(log, fullPath, exception.Message);
            states = new ConcurrentDictionary<string, PendingAuthorization>(StringComparer.Ordinal);
            damaged = true;
        }

        JournalState replayed;
        try
        {
            replayed = JournalReplay.Replay(fullPath, change => Apply(states, AuthStateJournal.Read(change)));
        }
        catch (JournalDamageException exception)
        {
            LogJournalDamaged(log, exception.Path, exception.LineNumber, exception.Message);
            replayed = new JournalState();
            damaged = true;
        }

        if (replayed.DroppedTail is { } dropped)
        {
            LogDroppedTail(log, dropped);
        }

        var store = new JsonFileAuthStateStore(fullPath, states, replayed, damaged, time, log, capacity, compactionThreshold);
        LogLoaded(log, store.Count, fullPath);
        return store;
    }

    /// <exception cref="TokenStoreWriteException">The journal could not be written; the state was not issued.</exception>
    public Task AddAsync(PendingAuthorization pending, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pending);
        cancellationToken.ThrowIfCancellationRequested();
        return Enqueue(AuthStateChange.Add(Digest(pending.State), pending with { State = string.Empty }));
    }

    /// <exception cref="TokenStoreWriteException">The journal could not be written; the state was not used up.</exception>
    public async Task<PendingAuthorization?> TakeAsync(string state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var taken = await Enqueue(AuthStateChange.Take(Digest(state))).ConfigureAwait(false);
        return taken is null ? null : taken with { State = state };
    }

    /// <summary>Writes what is still queued, then folds the journal into the snapshot.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            await changes.CompleteAsync().ConfigureAwait(false);
            await compaction.FinishAsync().ConfigureAwait(false);
        }
    }

    private static string Digest(string state) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(state)));

    private static void Apply(ConcurrentDictionary<string, PendingAuthorization> states, IEnumerable<KeyValuePair<string, PendingAuthorization?>> change)
    {
        foreach (var (digest, added) in change)
        {
            if (added is null)
            {
                states.TryRemove(digest, out _);
            }
            else
            {
                states[digest] = added;
            }
        }
    }

    private Task<PendingAuthorization?> Enqueue(AuthStateChange change)
    {
        ObjectDisposedException.ThrowIf(!changes.TryEnqueue(change), this);
        return change.Completion.Task;
    }

    private void Commit(List<AuthStateChange> batch)
    {
        var overlay = new Dictionary<string, PendingAuthorization?>(StringComparer.Ordinal);
        var results = new PendingAuthorization?[batch.Count];
        lines.Clear();
        for (var index = 0; index < batch.Count; index++)
        {
            var change = batch[index];
            var sequence = journal.LastSequence + lines.Count + 1;
            if (change.Added is { } added)
            {
                overlay[change.Digest] = added;
                AuthStateJournal.WriteAdd(lines, sequence, change.Digest, added);
            }
            else if ((overlay.TryGetValue(change.Digest, out var planned) ? planned : states.GetValueOrDefault(change.Digest)) is { } found)
            {
                overlay[change.Digest] = null;
                results[index] = found;
                AuthStateJournal.WriteTake(lines, sequence, change.Digest);
            }
        }

        if (lines.Count > 0 && !TryAppend(batch))
        {
            return;
        }

        Apply(states, overlay);
        foreach (var (digest, added) in overlay)
        {
            if (added is not null)
            {
                expiries.Enqueue(digest, added.ExpiresAt);
            }
        }

        DropExpiredAndExcess(time.GetUtcNow());
        if (lines.Count > 0)
        {
            compaction.AfterAppend();
        }

        for (var index = 0; index < batch.Count; index++)
        {
            batch[index].Completion.SetResult(results[index]);
        }
    }

    private bool TryAppend(List<AuthStateChange> batch)
    {
        try
        {
            journal.Append(lines);
        }
        catch (Exception exception)
        {
            // Nothing of the batch is applied: an added state is not handed out, a taken one can be used again.
            var path = JournalFiles.Active(FilePath);
            LogWriteFailed(logger, exception, path, batch.Count);
            foreach (var change in batch)
            {
                change.Completion.SetException(new TokenStoreWriteException($"Pending states journal '{path}' could not be written; the change was not stored: {exception.Message}", exception));
            }

            return false;
        }

        Interlocked.Increment(ref writeCount);
        return true;
    }

    /// <summary>
    /// Only in memory: the journal keeps what it was told, and every load and snapshot applies the same rule again.
    /// </summary>
    private void DropExpiredAndExcess(DateTimeOffset now)
    {
        var excess = 0;
        while (expiries.TryPeek(out var digest, out var expiresAt) && (expiresAt <= now || states.Count > capacity))
        {
            expiries.Dequeue();
            if (states.TryGetValue(digest, out var pending) && pending.ExpiresAt == expiresAt && states.TryRemove(KeyValuePair.Create(digest, pending)) && expiresAt > now)
            {
                excess++;
            }
        }

        if (excess > 0)
        {
            LogDroppedExcess(logger, excess, capacity);
        }

        if (expiries.Count > (2 * states.Count) + 1024)
        {
            RebuildExpiries();
        }
    }

    private void RebuildExpiries()
    {
        expiries.Clear();
        foreach (var (digest, pending) in states)
        {
            expiries.Enqueue(digest, pending.ExpiresAt);
        }
    }

    /// <summary>After damage: what could be read becomes the snapshot and the journals go, so appends start on a clean file.</summary>
    private JournalState StartClean()
    {
        try
        {
            WriteSnapshot();
            JournalFiles.DeleteAll(FilePath);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            LogCleanFailed(logger, exception, FilePath);
        }

        // An active journal that could not be deleted is cut to nothing by the appender, so no line follows the damage.
        return new JournalState { NextSealNumber = JournalFiles.SealedFiles(FilePath).Select(file => file.Number).DefaultIfEmpty(0).Max() + 1 };
    }

    private void WriteSnapshot()
    {
        var now = time.GetUtcNow();
        AtomicFileWriter.Write(FilePath, stream => AuthStateFile.Write(stream, states.Where(pair => pair.Value.ExpiresAt > now)));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Count} pending authorization states from {Path} and its journal")]
    private static partial void LogLoaded(ILogger logger, int count, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pending authorization states in {Path} could not be read ({Reason}); starting without them: links issued before this start must be requested again")]
    private static partial void LogUnreadable(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pending states journal {Path} is damaged at line {LineNumber} ({Reason}); starting with the states before it and rewriting the snapshot: links issued after that point must be requested again")]
    private static partial void LogJournalDamaged(ILogger logger, string path, int lineNumber, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped the end of the pending states journal: {What}")]
    private static partial void LogDroppedTail(ILogger logger, string what);

    [LoggerMessage(Level = LogLevel.Warning, Message = "More than {Limit} pending authorization states: dropped the {Count} closest to expiry")]
    private static partial void LogDroppedExcess(ILogger logger, int count, int limit);

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing {Path} failed; {Changes} state changes were refused and not applied")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string path, int changes);

    [LoggerMessage(Level = LogLevel.Error, Message = "Replacing the damaged pending states in {Path} by a clean snapshot failed")]
    private static partial void LogCleanFailed(ILogger logger, Exception exception, string path);
}
