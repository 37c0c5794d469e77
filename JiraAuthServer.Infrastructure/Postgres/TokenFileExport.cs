using System.Globalization;
using JiraAuthServer.Core.Storage;
using JiraAuthServer.Infrastructure.Storage;

namespace JiraAuthServer.Infrastructure.Postgres;

/// <summary>
/// Writes every grant of a store into a token file in the old server's format, replacing the file atomically. The
/// file's lock is held meanwhile, so a server running on that file makes the export fail instead of racing it.
/// </summary>
public static class TokenFileExport
{
    internal const int ReportEvery = 5_000;

    /// <returns>How many grants were written.</returns>
    public static Task<int> WriteAsync(ITokenRepository source, string path, CancellationToken cancellationToken) =>
        WriteAsync(source, path, progress: null, cancellationToken);

    /// <param name="source">The store read.</param>
    /// <param name="path">The token file written.</param>
    /// <param name="progress">Told how many grants have been written to the file, every <see cref="ReportEvery"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>How many grants were written.</returns>
    /// <exception cref="TokenStoreLockedException">A server is running on the file.</exception>
    public static async Task<int> WriteAsync(ITokenRepository source, string path, IProgress<GrantProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var fullPath = Path.GetFullPath(path);
        var grants = await source.ListAsync(cancellationToken).ConfigureAwait(false);
        var entries = grants.ToDictionary(
            pair => pair.Key,
            pair => GrantJsonMapper.ToEntry(pair.Key, pair.Value));
        using var fileLock = FileLock.Acquire(fullPath);
        try
        {
            AtomicFileWriter.Write(fullPath, stream => TokenFileWriter.Write(stream, Counted(entries, progress)));

            // A journal a crashed file server left beside it would otherwise be replayed over the exported grants.
            Storage.Journal.JournalFiles.DeleteAll(fullPath);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new TokenStoreWriteException(string.Create(CultureInfo.InvariantCulture, $"Token file '{fullPath}' could not be written: {exception.Message}"), exception);
        }

        return entries.Count;
    }

    private static IEnumerable<KeyValuePair<long, StoredEntry>> Counted(Dictionary<long, StoredEntry> entries, IProgress<GrantProgress>? progress)
    {
        var written = 0;
        progress?.Report(new GrantProgress(0, entries.Count));
        foreach (var entry in entries)
        {
            yield return entry;
            if (++written % ReportEvery == 0 || written == entries.Count)
            {
                progress?.Report(new GrantProgress(written, entries.Count));
            }
        }
    }
}
