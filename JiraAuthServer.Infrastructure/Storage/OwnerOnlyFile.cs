namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>Files that hold or guard tokens are created readable by their owner only (0600).</summary>
internal static class OwnerOnlyFile
{
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static FileStreamOptions Options(FileMode mode, FileAccess access, FileShare share, FileOptions options = FileOptions.None, int bufferSize = 4096)
    {
        var result = new FileStreamOptions { Mode = mode, Access = access, Share = share, Options = options, BufferSize = bufferSize };
        if (!OperatingSystem.IsWindows())
        {
            result.UnixCreateMode = Mode;
        }

        return result;
    }
}
