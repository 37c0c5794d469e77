namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>
/// Streams the whole token file from the records' cached lines: the stored entries with a batch of changes laid over
/// them (null = deleted), new users last.
/// </summary>
internal static class TokenFileWriter
{
    public static void Write(Stream stream, IReadOnlyDictionary<long, StoredEntry> stored, IReadOnlyDictionary<long, StoredEntry?> changes)
    {
        var written = 0;
        stream.Write("{"u8);
        foreach (var (userId, entry) in stored)
        {
            if (!changes.TryGetValue(userId, out var changed))
            {
                WriteEntry(stream, entry, ref written);
            }
            else if (changed is not null)
            {
                WriteEntry(stream, changed, ref written);
            }
        }

        foreach (var (userId, changed) in changes)
        {
            if (changed is not null && !stored.ContainsKey(userId))
            {
                WriteEntry(stream, changed, ref written);
            }
        }

        stream.Write(written > 0 ? "\n}"u8 : "}"u8);
    }

    private static void WriteEntry(Stream stream, StoredEntry entry, ref int written)
    {
        stream.Write(written == 0 ? "\n"u8 : ",\n"u8);
        stream.Write(entry.Json);
        written++;
    }
}
