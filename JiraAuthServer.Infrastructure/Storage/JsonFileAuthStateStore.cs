using System.Security.Cryptography;
using System.Text;
using JiraAuthServer.Core.Authorization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>
/// Pending authorization states in a small file beside the token file, so a link issued just before a restart still
/// works after it, and a used state stays used. An add or a take returns only once the file holds it (atomic, fsynced
/// replacement; changes queued during one write share the next). A take that finds nothing writes nothing, so forged
/// states cost no disk I/O. Expired states are dropped at every write, and at most <see cref="DefaultCapacity"/> are
/// kept (the soonest to expire go first), so the file stays small whatever the API key holder issues.
/// </summary>
public sealed partial class JsonFileAuthStateStore : IAuthStateStore, IAsyncDisposable
{
    /// <summary>Far above what thousands of users asking for a link within one state lifetime need.</summary>
    public const int DefaultCapacity = 100_000;

    private readonly GroupCommitQueue<AuthStateChange> changes;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly int capacity;
    private Dictionary<string, PendingAuthorization> states;
    private long writeCount;
    private int disposed;

    private JsonFileAuthStateStore(string path, Dictionary<string, PendingAuthorization> states, TimeProvider time, ILogger logger, int capacity)
    {
        FilePath = path;
        this.states = states;
        this.time = time;
        this.logger = logger;
        this.capacity = capacity;
        changes = new GroupCommitQueue<AuthStateChange>(Commit);
    }

    public string FilePath { get; }

    /// <summary>States issued and neither taken nor dropped yet (expired ones included until the next write).</summary>
    public int Count => Volatile.Read(ref states).Count;

    internal long WriteCount => Interlocked.Read(ref writeCount);

    /// <summary>
    /// Loads <paramref name="path"/>. Only one process may use it: the caller holds the token file's lock. A damaged
    /// file is not a reason to stop the server: it costs only the links in flight, so it is logged and started empty.
    /// </summary>
    public static JsonFileAuthStateStore Open(string path, TimeProvider time, ILogger<JsonFileAuthStateStore>? logger = null, int capacity = DefaultCapacity)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        var fullPath = Path.GetFullPath(path);
        var log = (ILogger?)logger ?? NullLogger.Instance;
        AtomicFileWriter.DeleteStaleTemporaryFiles(fullPath);
        Dictionary<string, PendingAuthorization> states;
        try
        {
            states = AuthStateFile.Read(fullPath);
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            LogUnreadable(log, fullPath, exception.Message);
            states = new Dictionary<string, PendingAuthorization>(StringComparer.Ordinal);
        }

        var now = time.GetUtcNow();
        var live = states.Where(pair => pair.Value.ExpiresAt > now).ToDictionary(StringComparer.Ordinal);
        LogLoaded(log, live.Count, fullPath);
        return new JsonFileAuthStateStore(fullPath, live, time, log, capacity);
    }

    /// <exception cref="TokenStoreWriteException">The file could not be written; the state was not issued.</exception>
    public Task AddAsync(PendingAuthorization pending, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pending);
        cancellationToken.ThrowIfCancellationRequested();
        return Enqueue(AuthStateChange.Add(Digest(pending.State), pending with { State = string.Empty }));
    }

    /// <exception cref="TokenStoreWriteException">The file could not be written; the state was not used up.</exception>
    public async Task<PendingAuthorization?> TakeAsync(string state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var taken = await Enqueue(AuthStateChange.Take(Digest(state))).ConfigureAwait(false);
        return taken is null ? null : taken with { State = state };
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            await changes.CompleteAsync().ConfigureAwait(false);
        }
    }

    private static string Digest(string state) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(state)));

    private Task<PendingAuthorization?> Enqueue(AuthStateChange change)
    {
        ObjectDisposedException.ThrowIf(!changes.TryEnqueue(change), this);
        return change.Completion.Task;
    }

    private void Commit(List<AuthStateChange> batch)
    {
        // Copied only when something changes: takes of unknown states (forgeries) neither copy nor write.
        var current = states;
        Dictionary<string, PendingAuthorization>? next = null;
        var results = new PendingAuthorization?[batch.Count];
        for (var index = 0; index < batch.Count; index++)
        {
            var change = batch[index];
            if (change.Added is { } added)
            {
                next ??= new Dictionary<string, PendingAuthorization>(current, StringComparer.Ordinal);
                next[change.Digest] = added;
            }
            else if ((next ?? current).ContainsKey(change.Digest))
            {
                next ??= new Dictionary<string, PendingAuthorization>(current, StringComparer.Ordinal);
                next.Remove(change.Digest, out results[index]);
            }
        }

        var now = time.GetUtcNow();
        if (next is null && current.Values.Any(pending => pending.ExpiresAt <= now))
        {
            next = new Dictionary<string, PendingAuthorization>(current, StringComparer.Ordinal);
        }

        if (next is not null)
        {
            DropExpiredAndExcess(next, now);
            if (!TryWrite(next, batch))
            {
                return;
            }
        }

        for (var index = 0; index < batch.Count; index++)
        {
            batch[index].Completion.SetResult(results[index]);
        }
    }

    private void DropExpiredAndExcess(Dictionary<string, PendingAuthorization> next, DateTimeOffset now)
    {
        foreach (var digest in next.Where(pair => pair.Value.ExpiresAt <= now).Select(pair => pair.Key).ToList())
        {
            next.Remove(digest);
        }

        var excess = next.Count - capacity;
        if (excess > 0)
        {
            foreach (var digest in next.OrderBy(pair => pair.Value.ExpiresAt).Take(excess).Select(pair => pair.Key).ToList())
            {
                next.Remove(digest);
            }

            LogDroppedExcess(logger, excess, capacity);
        }
    }

    private bool TryWrite(Dictionary<string, PendingAuthorization> next, List<AuthStateChange> batch)
    {
        try
        {
            AtomicFileWriter.Write(FilePath, stream => AuthStateFile.Write(stream, next));
        }
        catch (Exception exception)
        {
            // Nothing of the batch is applied: an added state is not handed out, a taken one can be used again.
            LogWriteFailed(logger, exception, FilePath, batch.Count);
            foreach (var change in batch)
            {
                change.Completion.SetException(new TokenStoreWriteException($"Pending states file '{FilePath}' could not be written; the change was not stored: {exception.Message}", exception));
            }

            return false;
        }

        Volatile.Write(ref states, next);
        Interlocked.Increment(ref writeCount);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Count} pending authorization states from {Path}")]
    private static partial void LogLoaded(ILogger logger, int count, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pending authorization states in {Path} could not be read ({Reason}); starting without them: links issued before this start must be requested again")]
    private static partial void LogUnreadable(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "More than {Limit} pending authorization states: dropped the {Count} closest to expiry")]
    private static partial void LogDroppedExcess(ILogger logger, int count, int limit);

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing {Path} failed; {Changes} state changes were refused and not applied")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string path, int changes);
}
