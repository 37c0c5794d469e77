using System.Runtime.InteropServices;

namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>
/// Makes a rename durable: after <c>rename(2)</c> the new directory entry survives a power loss only once the folder
/// itself is fsynced. .NET cannot open a directory as a file, so this calls libc's <c>open</c>/<c>fsync</c>/<c>close</c>.
/// </summary>
internal static partial class DirectorySync
{
    // O_RDONLY is 0 on every Unix; O_DIRECTORY and O_CLOEXEC differ between Linux architectures and macOS.
    private const int ReadOnly = 0;

    public static void Flush(string directory)
    {
        // Windows has no directory fsync; NTFS journals the rename's metadata itself.
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var descriptor = Open(directory, ReadOnly);
        if (descriptor < 0)
        {
            throw Failure("open", directory);
        }

        try
        {
            if (Fsync(descriptor) != 0)
            {
                throw Failure("fsync", directory);
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    private static IOException Failure(string call, string directory)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call} of folder '{directory}' failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);
}
