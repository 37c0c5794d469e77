namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>Streams the whole token file (the snapshot): each entry written by <see cref="EntryWriter"/>.</summary>
internal static class TokenFileWriter
{
    /// <summary>
    /// A file being written is synced every few MB: ext4 makes another file's fsync (the journal's) wait for dirty data
    /// in the same transaction, so a snapshot synced only at its end would hold up the appends made meanwhile.
    /// </summary>
    private const long SyncEvery = 4L << 20;

    /// <param name="stream">The new file.</param>
    /// <param name="entries">May change while it is written (a compaction runs beside the writer): each user is written once, as last seen.</param>
    public static void Write(Stream stream, IEnumerable<KeyValuePair<long, StoredEntry>> entries)
    {
        var buffer = new EntryBuffer();
        var written = new HashSet<long>();
        var unsynced = 0L;
        stream.Write("{"u8);
        foreach (var (userId, entry) in entries)
        {
            if (!written.Add(userId))
            {
                continue;
            }

            buffer.Clear();
            buffer.Ascii(written.Count == 1 ? "\n"u8 : ",\n"u8);
            EntryWriter.Write(buffer, userId, entry);
            stream.Write(buffer.Written);
            unsynced += buffer.Length;
            if (unsynced >= SyncEvery && stream is FileStream file)
            {
                file.Flush(flushToDisk: true);
                unsynced = 0;
            }
        }

        stream.Write(written.Count > 0 ? "\n}"u8 : "}"u8);
    }
}
