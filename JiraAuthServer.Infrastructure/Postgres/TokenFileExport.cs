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
    /// <returns>How many grants were written.</returns>
    /// <exception cref="TokenStoreLockedException">A server is running on the file.</exception>
    public static async Task<int> WriteAsync(ITokenRepository source, string path, CancellationToken cancellationToken)
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
            AtomicFileWriter.Write(fullPath, stream => TokenFileWriter.Write(stream, entries));

            // A journal a crashed file server left beside it would otherwise be replayed over the exported grants.
            Storage.Journal.JournalFiles.DeleteAll(fullPath);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new TokenStoreWriteException(string.Create(CultureInfo.InvariantCulture, $"Token file '{fullPath}' could not be written: {exception.Message}"), exception);
        }

        return entries.Count;
    }
}
