namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>
/// Replaces a file so that a crash at any instant leaves either the old or the new content, never a mix:
/// write a temporary file in the same folder, fsync it, rename it over the target, fsync the folder.
/// </summary>
internal static class AtomicFileWriter
{
    private const int BufferSize = 1 << 20;
    private const string TemporarySuffix = ".tmp";

    public static void Write(string path, Action<Stream> writeContent)
    {
        var directory = Path.GetDirectoryName(path)!;
        var temporary = TemporaryPathFor(path);
        try
        {
            using (var stream = new FileStream(temporary, OwnerOnlyFile.Options(FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: BufferSize)))
            {
                writeContent(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }

        DirectorySync.Flush(directory);
    }

    /// <summary>Removes temporary files a crashed writer left; call only while holding the store's lock.</summary>
    public static void DeleteStaleTemporaryFiles(string path)
    {
        var directory = Path.GetDirectoryName(path)!;
        var prefix = Path.GetFileName(path) + ".";
        foreach (var candidate in Directory.EnumerateFiles(directory, prefix + "*" + TemporarySuffix))
        {
            var middle = Path.GetFileName(candidate)[prefix.Length..^TemporarySuffix.Length];
            if (middle.Length == 32 && middle.All(char.IsAsciiHexDigitLower))
            {
                TryDelete(candidate);
            }
        }
    }

    /// <summary>True when a new file can be created beside <paramref name="path"/>, as the next write will need.</summary>
    public static bool CanCreateFileBeside(string path)
    {
        try
        {
            using var probe = new FileStream(TemporaryPathFor(path), OwnerOnlyFile.Options(FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.DeleteOnClose));
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string TemporaryPathFor(string path) => $"{path}.{Guid.NewGuid():N}{TemporarySuffix}";

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover temporary file is removed at the next start.
        }
    }
}
