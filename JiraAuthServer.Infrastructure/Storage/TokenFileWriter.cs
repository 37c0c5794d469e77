namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>
/// Streams the whole token file: the stored entries with a batch of changes laid over them (null = deleted), new
/// users last, each written by <see cref="EntryWriter"/>.
/// </summary>
internal static class TokenFileWriter
{
    public static void Write(Stream stream, IReadOnlyDictionary<long, StoredEntry> stored, IReadOnlyDictionary<long, StoredEntry?> changes)
    {
        var buffer = new EntryBuffer();
        var written = 0;
        stream.Write("{"u8);
        foreach (var (userId, entry) in stored)
        {
            if (!changes.TryGetValue(userId, out var changed))
            {
                WriteEntry(stream, buffer, userId, entry, ref written);
            }
            else if (changed is not null)
            {
                WriteEntry(stream, buffer, userId, changed, ref written);
            }
        }

        foreach (var (userId, changed) in changes)
        {
            if (changed is not null && !stored.ContainsKey(userId))
            {
                WriteEntry(stream, buffer, userId, changed, ref written);
            }
        }

        stream.Write(written > 0 ? "\n}"u8 : "}"u8);
    }

    private static void WriteEntry(Stream stream, EntryBuffer buffer, long userId, StoredEntry entry, ref int written)
    {
        buffer.Clear();
        buffer.Ascii(written == 0 ? "\n"u8 : ",\n"u8);
        EntryWriter.Write(buffer, userId, entry);
        stream.Write(buffer.Written);
        written++;
    }
}
