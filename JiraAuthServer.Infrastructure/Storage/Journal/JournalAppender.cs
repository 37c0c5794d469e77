namespace JiraAuthServer.Infrastructure.Storage.Journal;

/// <summary>
/// Appends group commits to the active journal: one write and one fsync per batch, acknowledged only after both. A
/// failed append is cut off again, so the file never holds a change that was refused. Used by the store's single
/// writer; <see cref="DeleteSealed"/> by its compaction, which touches only sealed files.
/// </summary>
internal sealed class JournalAppender
{
    private readonly string snapshotPath;
    private readonly string activePath;
    private int nextSeal;

    /// <param name="snapshotPath">The store's snapshot; the journal sits beside it.</param>
    /// <param name="replayed">What the replay found; a torn tail it dropped is cut off here, before anything is appended.</param>
    public JournalAppender(string snapshotPath, JournalState replayed)
    {
        this.snapshotPath = snapshotPath;
        activePath = JournalFiles.Active(snapshotPath);
        nextSeal = replayed.NextSealNumber;
        LastSequence = replayed.LastSequence;
        ActiveLength = replayed.ActiveLength;
        if (File.Exists(activePath) && new FileInfo(activePath).Length != replayed.ActiveLength)
        {
            // Not OwnerOnlyFile.Options: a create mode with FileMode.Open is refused, and the file keeps its own mode.
            using var torn = new FileStream(activePath, FileMode.Open, FileAccess.Write, FileShare.Read);
            torn.SetLength(replayed.ActiveLength);
            torn.Flush(flushToDisk: true);
        }
    }

    /// <summary>The sequence number of the last line on disk.</summary>
    public long LastSequence { get; private set; }

    /// <summary>Bytes in the active journal: what the next compaction folds in.</summary>
    public long ActiveLength { get; private set; }

    /// <summary>True when a failed append could not be cut off again: nothing more is appended until a restart.</summary>
    public bool IsBroken { get; private set; }

    /// <summary>Whether any journal (active or sealed) holds changes the snapshot may not have.</summary>
    public bool HasChanges => ActiveLength > 0 || JournalFiles.SealedFiles(snapshotPath).Count > 0;

    /// <summary>Writes and fsyncs <paramref name="lines"/>; when it throws, none of them is in the file.</summary>
    public void Append(JournalLineWriter lines)
    {
        if (IsBroken)
        {
            throw new IOException($"Journal '{activePath}' could not be repaired after an earlier failed write; restart the server.");
        }

        // Opened for each append, so nothing holds a file that a seal renames and a failure leaves no stale handle.
        using var stream = OpenActive();
        var before = ActiveLength;
        try
        {
            stream.Write(lines.Buffer.Written);
            stream.Flush(flushToDisk: true);
        }
        catch
        {
            CutBack(stream, before);
            throw;
        }

        ActiveLength += lines.Buffer.Length;
        LastSequence += lines.Count;
    }

    /// <summary>Whether the active journal can be opened for appending now (a health probe after a failed append).</summary>
    public bool CanAppend()
    {
        try
        {
            using var stream = OpenActive();
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Renames the active journal to the next sealed one, so appends go on in a new file while a compaction runs.</summary>
    /// <returns>False when the active journal holds nothing.</returns>
    public bool Seal()
    {
        if (ActiveLength == 0)
        {
            return false;
        }

        File.Move(activePath, JournalFiles.Sealed(snapshotPath, nextSeal++));
        DirectorySync.Flush(Path.GetDirectoryName(snapshotPath)!);
        ActiveLength = 0;
        return true;
    }

    /// <summary>Removes the sealed journals; call once a snapshot that holds their changes is durable.</summary>
    public void DeleteSealed()
    {
        foreach (var (_, path) in JournalFiles.SealedFiles(snapshotPath))
        {
            File.Delete(path);
        }

        DirectorySync.Flush(Path.GetDirectoryName(snapshotPath)!);
    }

    /// <summary>At a graceful stop, after the snapshot took everything: the active journal goes too.</summary>
    public void DeleteAll()
    {
        JournalFiles.DeleteAll(snapshotPath);
        ActiveLength = 0;
    }

    private FileStream OpenActive()
    {
        var created = !File.Exists(activePath);
        var stream = new FileStream(activePath, OwnerOnlyFile.Options(FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read, bufferSize: 0));
        stream.Seek(ActiveLength, SeekOrigin.Begin);
        if (created)
        {
            // The new file's name must be durable before any line in it is acknowledged.
            DirectorySync.Flush(Path.GetDirectoryName(snapshotPath)!);
        }

        return stream;
    }

    private void CutBack(FileStream stream, long length)
    {
        try
        {
            stream.SetLength(length);
            stream.Seek(length, SeekOrigin.Begin);
            stream.Flush(flushToDisk: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            IsBroken = true;
        }
    }
}
