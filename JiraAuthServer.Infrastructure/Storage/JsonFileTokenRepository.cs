using System.Collections.Concurrent;
using System.Diagnostics;
using JiraAuthServer.Core.Crypto;
using JiraAuthServer.Core.Grants;
using JiraAuthServer.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>
/// Grants in one JSON file, in the old Python server's layout. Every grant is held in memory (still encrypted), so reads
/// never touch the disk; changes go through a single writer that commits everything that queued up during the
/// previous write in one atomic, fsynced replacement of the file (group commit). A change is applied in memory only
/// after it reached the disk.
/// </summary>
public sealed partial class JsonFileTokenRepository : ITokenRepository, IAsyncDisposable, IDisposable
{
    private readonly ConcurrentDictionary<long, StoredEntry> entries;
    private readonly GroupCommitQueue<PendingChange> changes;
    private readonly FileLock fileLock;
    private readonly ILogger logger;
    private long writeCount;

    // The last revision handed out; only the single writer touches it.
    private long revisions;
    private volatile bool lastWriteFailed;
    private int disposed;

    private JsonFileTokenRepository(string path, FileLock fileLock, IReadOnlyList<KeyValuePair<long, StoredEntry>> records, long[] unreadable, ILogger logger)
    {
        FilePath = path;
        this.fileLock = fileLock;
        this.logger = logger;
        entries = new ConcurrentDictionary<long, StoredEntry>(records);
        UnreadableUserIds = unreadable;
        changes = new GroupCommitQueue<PendingChange>(Commit);
    }

    /// <summary>The token file, as a full path.</summary>
    public string FilePath { get; }

    /// <summary>Users whose stored access token no configured key opens; their records are kept as they are.</summary>
    public IReadOnlyCollection<long> UnreadableUserIds { get; }

    /// <summary>How many times the file was replaced; with group commit, far fewer than the changes stored.</summary>
    internal long WriteCount => Interlocked.Read(ref writeCount);

    /// <summary>
    /// Locks <paramref name="path"/> for this process, loads it (a missing file is an empty store) and checks that
    /// <paramref name="cipher"/> opens its tokens.
    /// </summary>
    /// <exception cref="TokenStoreLockedException">Another process serves the file.</exception>
    /// <exception cref="TokenStoreLoadException">The file is damaged or unreadable, or the keys open none of its tokens.</exception>
    public static JsonFileTokenRepository Open(string path, ITokenCipher cipher, ILogger<JsonFileTokenRepository>? logger = null)
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
            var records = TokenFileLoader.Load(fullPath);
            var unreadable = TokenKeyCheck.FindUnreadable(fullPath, records, cipher);
            var elapsed = Stopwatch.GetElapsedTime(started);
            LogLoaded(log, records.Count, fullPath, elapsed.TotalMilliseconds);
            if (unreadable.Length > 0 && log.IsEnabled(LogLevel.Warning))
            {
                LogUnreadable(log, unreadable.Length, fullPath, string.Join(", ", unreadable.Take(100)));
            }

            return new JsonFileTokenRepository(fullPath, fileLock, records, unreadable, log);
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
    /// <exception cref="TokenStoreWriteException">The file could not be written; the grant was not stored.</exception>
    public Task SaveAsync(long telegramUserId, StoredGrant grant, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(telegramUserId);
        ArgumentNullException.ThrowIfNull(grant);
        cancellationToken.ThrowIfCancellationRequested();

        // Any serialization that can fail (unknown fields that are not JSON) happens here, so a bad grant fails alone.
        return Enqueue(new PendingChange(telegramUserId, GrantJsonMapper.ToEntry(telegramUserId, grant)));
    }

    /// <remarks>The check against <paramref name="expected"/> is made by the single writer, in queue order.</remarks>
    /// <exception cref="TokenStoreWriteException">The file could not be written; the grant was not stored.</exception>
    public Task<bool> ReplaceAsync(long telegramUserId, StoredGrant expected, StoredGrant replacement, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(telegramUserId);
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(replacement);
        cancellationToken.ThrowIfCancellationRequested();
        var entry = GrantJsonMapper.ToEntry(telegramUserId, replacement);
        return Enqueue(new PendingChange(telegramUserId, entry, expected));
    }

    /// <summary>Every grant of <paramref name="grants"/> lands in the same file replacement: all or none.</summary>
    /// <exception cref="TokenStoreWriteException">The file could not be written; none of the grants was stored.</exception>
    public Task SaveManyAsync(IReadOnlyCollection<KeyValuePair<long, StoredGrant>> grants, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grants);
        cancellationToken.ThrowIfCancellationRequested();
        var items = grants
            .Select(pair => KeyValuePair.Create(pair.Key, (StoredEntry?)GrantJsonMapper.ToEntry(pair.Key, pair.Value)))
            .ToList();
        return items.Count == 0 ? Task.CompletedTask : Enqueue(new PendingChange(items));
    }

    /// <exception cref="TokenStoreWriteException">The file could not be written; the grant was not deleted.</exception>
    public Task<bool> DeleteAsync(long telegramUserId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Enqueue(new PendingChange(telegramUserId, entry: null));
    }

    public Task<IReadOnlyList<KeyValuePair<long, StoredGrant>>> ListAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<KeyValuePair<long, StoredGrant>> grants = entries.Select(pair => KeyValuePair.Create(pair.Key, pair.Value.Grant)).ToList();
        return Task.FromResult(grants);
    }

    public Task<int> CountAsync(CancellationToken cancellationToken) => Task.FromResult(entries.Count);

    public Task<bool> IsHealthyAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Volatile.Read(ref disposed) == 0 && !lastWriteFailed && AtomicFileWriter.CanCreateFileBeside(FilePath));

    /// <summary>Writes what is still queued, then releases the file lock.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await changes.CompleteAsync().ConfigureAwait(false);
        fileLock.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private Task<bool> Enqueue(PendingChange change)
    {
        ObjectDisposedException.ThrowIf(!changes.TryEnqueue(change), this);
        return change.Completion.Task;
    }

    private void Commit(List<PendingChange> batch)
    {
        // The batch's net effect per user (null = deleted), applied in queue order so the last write wins whole.
        var overlay = new Dictionary<long, StoredEntry?>();
        var results = new bool[batch.Count];
        for (var index = 0; index < batch.Count; index++)
        {
            if (batch[index].Expected is { } expected)
            {
                var (userId, entry) = batch[index].Items[0];
                var current = overlay.TryGetValue(userId, out var pending) ? pending?.Grant : entries.GetValueOrDefault(userId)?.Grant;
                results[index] = current is not null && current.Revision == expected.Revision;
                if (results[index])
                {
                    overlay[userId] = Numbered(entry!, ++revisions);
                }

                continue;
            }

            var isCopy = batch[index].Items.Count > 1;
            for (var item = 0; item < batch[index].Items.Count; item++)
            {
                var (userId, entry) = batch[index].Items[item];
                var had = overlay.TryGetValue(userId, out var current) ? current is not null : entries.ContainsKey(userId);
                results[index] |= item == 0 && had;
                if (entry is not null && isCopy)
                {
                    revisions = Math.Max(revisions, entry.Grant.Revision);
                    overlay[userId] = entry;
                }
                else if (entry is not null)
                {
                    overlay[userId] = Numbered(entry, ++revisions);
                }
                else if (had)
                {
                    overlay[userId] = null;
                }
            }
        }

        if (overlay.Count > 0)
        {
            try
            {
                AtomicFileWriter.Write(FilePath, stream => TokenFileWriter.Write(stream, entries, overlay));
            }
            catch (Exception exception)
            {
                // Not applied: memory keeps what was on disk before. (Should only the final folder fsync fail, the
                // renamed file may already hold the batch; the next write replaces it with memory's view.)
                lastWriteFailed = true;
                LogWriteFailed(logger, exception, FilePath, batch.Count);
                foreach (var change in batch)
                {
                    change.Completion.SetException(new TokenStoreWriteException($"Token file '{FilePath}' could not be written; the change was not stored: {exception.Message}", exception));
                }

                return;
            }

            Apply(overlay);
            Interlocked.Increment(ref writeCount);
            lastWriteFailed = false;
        }

        for (var index = 0; index < batch.Count; index++)
        {
            batch[index].Completion.SetResult(results[index]);
        }
    }

    private static StoredEntry Numbered(StoredEntry entry, long revision) => entry with { Grant = entry.Grant with { Revision = revision } };

    private void Apply(Dictionary<long, StoredEntry?> overlay)
    {
        foreach (var (userId, entry) in overlay)
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Count} grants from {Path} in {ElapsedMs:F0} ms")]
    private static partial void LogLoaded(ILogger logger, int count, string path, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} grants in {Path} do not open with the configured keys and are kept as they are; users (first 100): {UserIds}")]
    private static partial void LogUnreadable(ILogger logger, int count, string path, string userIds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing {Path} failed; {Changes} changes were refused and not applied")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string path, int changes);
}
