namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>
/// An exclusive lock on <c>&lt;tokens file&gt;.lock</c>, held for the repository's lifetime so two servers never write
/// the same file. <see cref="FileShare.None"/> is backed by <c>flock(LOCK_EX)</c> on Unix, so the kernel drops it if the
/// process dies. The lock file is left in place: deleting it would race with the next opener.
/// </summary>
internal sealed class FileLock : IDisposable
{
    private readonly FileStream handle;

    private FileLock(FileStream handle) => this.handle = handle;

    public static FileLock Acquire(string storePath)
    {
        var lockPath = storePath + ".lock";
        try
        {
            return new FileLock(new FileStream(lockPath, OwnerOnlyFile.Options(FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None)));
        }
        catch (IOException exception) when (IsHeldByAnother(exception))
        {
            throw new TokenStoreLockedException(
                $"Token file '{storePath}' is in use by another process, which holds the lock '{lockPath}'. Only one server may use a token file; stop the other one first.",
                exception);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new TokenStoreLoadException($"Token file '{storePath}': cannot create its lock file '{lockPath}': {exception.Message}", exception);
        }
    }

    public void Dispose() => handle.Dispose();

    // On Unix .NET reports a held flock as an IOException whose HResult is the raw errno EWOULDBLOCK (11 on Linux,
    // 35 on macOS); on Windows it is ERROR_SHARING_VIOLATION.
    private static bool IsHeldByAnother(IOException exception) =>
        exception.GetType() == typeof(IOException) && exception.HResult is 11 or 35 or unchecked((int)0x80070020);
}
