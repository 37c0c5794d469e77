namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>Streams the whole token file (the snapshot): each entry written by <see cref="EntryWriter"/>.</summary>
internal static class TokenFileWriter
{
    /// <param name="stream">The new file.</param>
    /// <param name="entries">May change while it is written (a compaction runs beside the writer): each user is written once, as last seen.</param>
    public static void Write(Stream stream, IEnumerable<KeyValuePair<long, StoredEntry>> entries)
    {
        var buffer = new EntryBuffer();
        var written = new HashSet<long>();
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
        }

        stream.Write(written.Count > 0 ? "\n}"u8 : "}"u8);
    }
}
