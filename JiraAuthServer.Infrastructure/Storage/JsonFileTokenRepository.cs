using System.Collections.Concurrent;
using System.Diagnostics;
using JiraAuthServer.Core.Crypto;
using JiraAuthServer.Core.Grants;
using JiraAuthServer.Core.Storage;
using JiraAuthServer.Infrastructure.Storage.Journal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>
/// Grants in one JSON file in the old Python server's layout (the snapshot) and a journal beside it. Every grant is
/// held in memory (still encrypted), so reads never touch the disk. Changes go through a single writer that appends
/// everything that queued during the previous fsync as journal lines in one write and one fsync (group commit); a
/// change is applied in memory only after its lines are on disk, so a change costs its own size, not the store's.
/// A background compaction rewrites the snapshot from memory when the journal grows, and a graceful stop leaves the
/// snapshot alone holding every grant.
/// </summary>
public sealed partial class JsonFileTokenRepository : ITokenRepository, IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan HealthProbeInterval = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<long, StoredEntry> entries;
    private readonly UserIdIndex userIds;
    private readonly GroupCommitQueue<GrantChange> changes;
    private readonly JournalAppender journal;
    private readonly JournalCompaction compaction;
    private readonly JournalLineWriter lines = new();
    private readonly FileLock fileLock;
    private readonly ILogger logger;
    private long appendCount;
    private long bytesAppended;
    private long revisions;
    private volatile bool lastWriteFailed;
    private long lastProbeTicks;
    private volatile bool lastProbeWritable = true;
    private int disposed;

    private JsonFileTokenRepository(string path, FileLock fileLock, ConcurrentDictionary<long, StoredEntry> entries, JournalState replayed, long[] unreadable, long? compactionThreshold, ILogger logger)
    {
        FilePath = path;
        this.fileLock = fileLock;
        this.logger = logger;
        this.entries = entries;
        userIds = new UserIdIndex(entries);
        UnreadableUserIds = unreadable;
        revisions = entries.Values.Select(entry => entry.Grant.Revision).DefaultIfEmpty(0).Max();
        journal = new JournalAppender(path, replayed);
        // A journal a crash left is not compacted now, beside the start-up: it is folded in with the next compaction,
        // which the journal reaching its threshold starts as usual, or at the graceful stop.
        compaction = new JournalCompaction(journal, WriteSnapshot, compactionThreshold, path, logger);

        changes = new GroupCommitQueue<GrantChange>(Commit);
    }

    /// <summary>The token file (the snapshot), as a full path.</summary>
    public string FilePath { get; }

    /// <summary>Users whose stored access token no configured key opens; their records are kept as they are.</summary>
    public IReadOnlyCollection<long> UnreadableUserIds { get; }

    /// <summary>How many journal appends (each one fsync) stored changes; with group commit, far fewer than the changes.</summary>
    internal long WriteCount => Interlocked.Read(ref appendCount);

    /// <summary>Bytes appended to the journal since the store opened.</summary>
    internal long JournalBytesWritten => Interlocked.Read(ref bytesAppended);

    /// <summary>Compactions completed since the store opened.</summary>
    internal long CompactionCount => compaction.Count;

    /// <summary>
    /// Locks <paramref name="path"/> for this process, loads it (a missing file is an empty store), replays its journal
    /// and checks that <paramref name="cipher"/> opens its tokens.
    /// </summary>
    /// <param name="path">The token file.</param>
    /// <param name="cipher">The configured keys.</param>
    /// <param name="logger">Where loading and compaction report.</param>
    /// <param name="compactionThreshold">Journal bytes that start a compaction; null: a quarter of the snapshot, 16–32 MB.</param>
    /// <exception cref="TokenStoreLockedException">Another process serves the file.</exception>
    /// <exception cref="TokenStoreLoadException">The file or its journal is damaged or unreadable, or the keys open none of its tokens.</exception>
    public static JsonFileTokenRepository Open(string path, ITokenCipher cipher, ILogger<JsonFileTokenRepository>? logger = null, long? compactionThreshold = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(cipher);
        var fullPath = Path.GetFullPath(path);
        var log = (ILogger?)logger ?? NullLogger.Instance;
        var started = Stopwatch.GetTimestamp();
        var fileLock = FileLock.Acquire(fullPath);
        try
        {
            AtomicFileWriter.DeleteStaleTemporaryFiles(fullPath);
            var entries = new ConcurrentDictionary<long, StoredEntry>(TokenFileLoader.Load(fullPath));
            var replayed = Replay(fullPath, entries);
            if (replayed.DroppedTail is { } dropped)
            {
                LogDroppedTail(log, dropped);
            }

            var unreadable = TokenKeyCheck.FindUnreadable(fullPath, [.. entries], cipher);
            var elapsed = Stopwatch.GetElapsedTime(started);
            LogLoaded(log, entries.Count, fullPath, elapsed.TotalMilliseconds);
            if (unreadable.Length > 0 && log.IsEnabled(LogLevel.Warning))
            {
                LogUnreadable(log, unreadable.Length, fullPath, string.Join(", ", unreadable.Take(100)));
            }

            return new JsonFileTokenRepository(fullPath, fileLock, entries, replayed, unreadable, compactionThreshold, log);
        }
        catch
        {
            fileLock.Dispose();
            throw;
        }
    }

    public ValueTask<StoredGrant?> GetAsync(long telegramUserId, CancellationToken cancellationToken) =>
        new(entries.TryGetValue(telegramUserId, out var entry) ? entry.Grant : null);

    /// <remarks>Once queued the change is written even if <paramref name="cancellationToken"/> fires later.</remarks>
    /// <exception cref="TokenStoreWriteException">The journal could not be written; the grant was not stored.</exception>
    public Task SaveAsync(long telegramUserId, StoredGrant grant, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(telegramUserId);
        ArgumentNullException.ThrowIfNull(grant);
        cancellationToken.ThrowIfCancellationRequested();

        // Any serialization that can fail (unknown fields that are not JSON) happens here, so a bad grant fails alone.
        return Enqueue(GrantChange.Save(telegramUserId, GrantJsonMapper.ToEntry(telegramUserId, grant)));
    }

    /// <remarks>The revision check is made by the single writer, in queue order.</remarks>
    /// <exception cref="TokenStoreWriteException">The journal could not be written; the grant was not stored.</exception>
    public async Task<bool> ReplaceAsync(long telegramUserId, StoredGrant expected, StoredGrant replacement, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(telegramUserId);
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(replacement);
        cancellationToken.ThrowIfCancellationRequested();
        var entry = GrantJsonMapper.ToEntry(telegramUserId, replacement);
        return (await Enqueue(GrantChange.Replace(telegramUserId, entry, expected.Revision)).ConfigureAwait(false)).Applied;
    }

    /// <exception cref="TokenStoreWriteException">The journal could not be written; nothing was stored.</exception>
    public async Task<IReadOnlyList<long>> ReencryptManyAsync(IReadOnlyCollection<KeyValuePair<long, StoredGrant>> grants, CancellationToken cancellationToken)
    {
        var items = ToEntries(grants, cancellationToken);
        return items.Count == 0 ? [] : (await Enqueue(GrantChange.Reencrypt(items)).ConfigureAwait(false)).Skipped;
    }

    /// <summary>Every grant of <paramref name="grants"/> lands in the same journal append and replays as one: all or none.</summary>
    /// <exception cref="TokenStoreWriteException">The journal could not be written; none of the grants was stored.</exception>
    public Task SaveManyAsync(IReadOnlyCollection<KeyValuePair<long, StoredGrant>> grants, CancellationToken cancellationToken)
    {
        var items = ToEntries(grants, cancellationToken);
        return items.Count == 0 ? Task.CompletedTask : Enqueue(GrantChange.SaveMany(items));
    }

    /// <exception cref="TokenStoreWriteException">The journal could not be written; the grant was not deleted.</exception>
    public async Task<bool> DeleteAsync(long telegramUserId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return (await Enqueue(GrantChange.Delete(telegramUserId)).ConfigureAwait(false)).Applied;
    }

    public Task<IReadOnlyList<KeyValuePair<long, StoredGrant>>> ListAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<KeyValuePair<long, StoredGrant>> grants = entries.Select(pair => KeyValuePair.Create(pair.Key, pair.Value.Grant)).ToList();
        return Task.FromResult(grants);
    }

    /// <remarks>Walks the ordered id index from <paramref name="afterUserId"/>; the grants are read from memory.</remarks>
    public Task<IReadOnlyList<KeyValuePair<long, StoredGrant>>> ListPageAsync(long afterUserId, int limit, GrantStatus? status, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var page = new List<KeyValuePair<long, StoredGrant>>(Math.Min(limit, 1024));
        foreach (var userId in userIds.After(afterUserId, status))
        {
            // The index can lag the grants by a change under way: a user removed or changed just now is left out.
            if (entries.TryGetValue(userId, out var entry) && (status is null || entry.Grant.Status == status))
            {
                page.Add(KeyValuePair.Create(userId, entry.Grant));
                if (page.Count == limit)
                {
                    break;
                }
            }
        }

        return Task.FromResult<IReadOnlyList<KeyValuePair<long, StoredGrant>>>(page);
    }

    public Task<int> CountAsync(CancellationToken cancellationToken) => Task.FromResult(entries.Count);

    /// <summary>
    /// From the last append's outcome, without I/O; only after a failure are the journal and the folder probed again
    /// (at most every few seconds), so a disk that has room again shows as healthy before the next write.
    /// </summary>
    public Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref disposed) != 0 || journal.IsBroken)
        {
            return Task.FromResult(false);
        }

        if (!lastWriteFailed)
        {
            return Task.FromResult(true);
        }

        var now = Environment.TickCount64;
        if (now - Interlocked.Read(ref lastProbeTicks) >= HealthProbeInterval.TotalMilliseconds)
        {
            Interlocked.Exchange(ref lastProbeTicks, now);
            lastProbeWritable = journal.CanAppend() && AtomicFileWriter.CanCreateFileBeside(FilePath);
        }

        return Task.FromResult(lastProbeWritable);
    }

    /// <summary>Writes what is still queued, folds the journal into the snapshot, then releases the file lock.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await changes.CompleteAsync().ConfigureAwait(false);
        await compaction.FinishAsync().ConfigureAwait(false);
        fileLock.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>
    /// Snapshot, then journal: every journal line in order over the file's records. The lines are checked in order,
    /// their records parsed in parallel (the cost of a replay), then applied in order.
    /// </summary>
    private static JournalState Replay(string path, ConcurrentDictionary<long, StoredEntry> entries)
    {
        var changes = new List<JournalLine[]>();
        try
        {
            var state = JournalReplay.Replay(path, change => changes.Add([.. change]));
            var parsed = new List<KeyValuePair<long, StoredEntry?>>[changes.Count];
            Parallel.For(0, changes.Count, () => new GrantRecordReader(), (index, _, records) =>
            {
                parsed[index] = GrantJournal.Read(changes[index], records);
                return records;
            }, _ => { });
            foreach (var change in parsed)
            {
                foreach (var (userId, entry) in change)
                {
                    if (entry is null)
                    {
                        entries.TryRemove(userId, out _);
                    }
                    else
                    {
                        entries[userId] = entry;
                    }
                }
            }

            return state;
        }
        catch (Exception exception) when (FirstDamage(exception) is { } damage)
        {
            throw new TokenStoreLoadException(
                $"Token file '{path}': {damage.Message}. The token file and its journal were left unchanged; restore or repair them (the server does not start over a damaged journal).",
                damage);
        }
    }

    /// <summary>The damage to report: of several lines found bad in parallel, the first in the journal.</summary>
    private static JournalDamageException? FirstDamage(Exception exception) => exception switch
    {
        JournalDamageException damage => damage,
        AggregateException many => many.Flatten().InnerExceptions.OfType<JournalDamageException>()
            .OrderBy(damage => JournalFiles.Order(damage.Path)).ThenBy(damage => damage.LineNumber).FirstOrDefault(),
        _ => null,
    };

    private static List<KeyValuePair<long, StoredEntry?>> ToEntries(IReadOnlyCollection<KeyValuePair<long, StoredGrant>> grants, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grants);
        cancellationToken.ThrowIfCancellationRequested();
        return [.. grants.Select(pair => KeyValuePair.Create(pair.Key, (StoredEntry?)GrantJsonMapper.ToEntry(pair.Key, pair.Value)))];
    }

    /// <summary>The entry under its new revision; a template (unknown fields) is cut again, since it spells the revision.</summary>
    private static StoredEntry Numbered(long userId, StoredEntry entry, long revision) => entry.Template is null
        ? entry with { Grant = entry.Grant with { Revision = revision } }
        : GrantJsonMapper.ToEntry(userId, entry.Grant with { Revision = revision });

    private Task<GrantChangeResult> Enqueue(GrantChange change)
    {
        ObjectDisposedException.ThrowIf(!changes.TryEnqueue(change), this);
        return change.Completion.Task;
    }

    private void Commit(List<GrantChange> batch)
    {
        var revisionsBefore = revisions;
        var overlay = new Dictionary<long, StoredEntry?>();
        var results = new GrantChangeResult[batch.Count];
        lines.Clear();
        for (var index = 0; index < batch.Count; index++)
        {
            results[index] = Plan(batch[index], overlay);
        }

        if (lines.Count > 0)
        {
            try
            {
                journal.Append(lines);
            }
            catch (Exception exception)
            {
                // Nothing of the batch is applied: memory keeps what the disk holds.
                revisions = revisionsBefore;
                lastWriteFailed = true;
                lastProbeWritable = false;
                Interlocked.Exchange(ref lastProbeTicks, Environment.TickCount64);
                LogWriteFailed(logger, exception, JournalFiles.Active(FilePath), batch.Count);
                foreach (var change in batch)
                {
                    change.Completion.SetException(new TokenStoreWriteException($"Token file journal '{JournalFiles.Active(FilePath)}' could not be written; the change was not stored: {exception.Message}", exception));
                }

                return;
            }

            Apply(overlay);
            Interlocked.Increment(ref appendCount);
            Interlocked.Add(ref bytesAppended, lines.Buffer.Length);
            lastWriteFailed = false;
            compaction.AfterAppend();
        }

        for (var index = 0; index < batch.Count; index++)
        {
            batch[index].Completion.SetResult(results[index]);
        }
    }

    /// <summary>Checks and numbers one change over what the batch changed before it, and writes its journal lines.</summary>
    private GrantChangeResult Plan(GrantChange change, Dictionary<long, StoredEntry?> overlay)
    {
        StoredEntry? Current(long userId) => overlay.TryGetValue(userId, out var pending) ? pending : entries.GetValueOrDefault(userId);

        var (userId, entry) = change.Items[0];
        switch (change.Kind)
        {
            case GrantChangeKind.Save:
                var had = Current(userId) is not null;
                Put(overlay, userId, Numbered(userId, entry!, ++revisions), more: false);
                return GrantChangeResult.Of(had);
            case GrantChangeKind.Replace:
                if (Current(userId)?.Grant.Revision != change.ExpectedRevision)
                {
                    return GrantChangeResult.Of(false);
                }

                Put(overlay, userId, Numbered(userId, entry!, ++revisions), more: false);
                return GrantChangeResult.Of(true);
            case GrantChangeKind.Delete:
                if (Current(userId) is null)
                {
                    return GrantChangeResult.Of(false);
                }

                overlay[userId] = null;
                GrantJournal.WriteDelete(lines, journal.LastSequence + lines.Count + 1, userId);
                return GrantChangeResult.Of(true);
            case GrantChangeKind.SaveMany:
                PutAll(overlay, change.Items);
                revisions = Math.Max(revisions, change.Items.Max(item => item.Value!.Grant.Revision));
                return GrantChangeResult.Of(true);
            default:
                var skipped = change.Items.Where(item => Current(item.Key)?.Grant.Revision != item.Value!.Grant.Revision).Select(item => item.Key).ToList();
                PutAll(overlay, [.. change.Items.ExceptBy(skipped, item => item.Key)]);
                return new GrantChangeResult(true, skipped);
        }
    }

    private void PutAll(Dictionary<long, StoredEntry?> overlay, IReadOnlyList<KeyValuePair<long, StoredEntry?>> items)
    {
        for (var index = 0; index < items.Count; index++)
        {
            Put(overlay, items[index].Key, items[index].Value!, more: index < items.Count - 1);
        }
    }

    private void Put(Dictionary<long, StoredEntry?> overlay, long userId, StoredEntry entry, bool more)
    {
        overlay[userId] = entry;
        GrantJournal.WritePut(lines, journal.LastSequence + lines.Count + 1, userId, entry, more);
    }

    private void Apply(Dictionary<long, StoredEntry?> overlay)
    {
        foreach (var (userId, entry) in overlay)
        {
            userIds.Changed(userId, entries.GetValueOrDefault(userId)?.Grant, entry?.Grant);
            if (entry is null)
            {
                entries.TryRemove(userId, out _);
            }
            else
            {
                entries[userId] = entry;
            }
        }
    }

    private void WriteSnapshot() => AtomicFileWriter.Write(FilePath, stream => TokenFileWriter.Write(stream, entries));

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Count} grants from {Path} and its journal in {ElapsedMs:F0} ms")]
    private static partial void LogLoaded(ILogger logger, int count, string path, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped the end of the token journal: {What}")]
    private static partial void LogDroppedTail(ILogger logger, string what);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} grants in {Path} do not open with the configured keys and are kept as they are; users (first 100): {UserIds}")]
    private static partial void LogUnreadable(ILogger logger, int count, string path, string userIds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing {Path} failed; {Changes} changes were refused and not applied")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string path, int changes);
}
