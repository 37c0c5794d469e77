namespace JiraAuthServer.Infrastructure.Storage.Journal;

/// <summary>One whole, checksummed line of a journal, without its newline.</summary>
internal readonly record struct JournalLine(string Path, int LineNumber, long Sequence, ReadOnlyMemory<byte> Text)
{
    /// <summary>"file, line N", for messages.</summary>
    public string Where => $"'{Path}' line {LineNumber}";
}
