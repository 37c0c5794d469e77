namespace JiraAuthServer.Infrastructure.Storage.Journal;

/// <summary>
/// One whole, checksummed line of a journal, without its newline. <paramref name="More"/>: the change goes on in the
/// next line (all lines of a change but its last carry <c>"more": true</c>).
/// </summary>
internal readonly record struct JournalLine(string Path, int LineNumber, long Sequence, bool More, ReadOnlyMemory<byte> Text);
