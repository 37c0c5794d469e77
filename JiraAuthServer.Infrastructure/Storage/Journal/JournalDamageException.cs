namespace JiraAuthServer.Infrastructure.Storage.Journal;

/// <summary>A journal line that cannot be replayed: the store refuses to start and leaves the files as they are.</summary>
internal sealed class JournalDamageException(string path, int lineNumber, string problem)
    : Exception($"Journal '{path}' line {lineNumber} {problem}")
{
    public string Path { get; } = path;

    public int LineNumber { get; } = lineNumber;

    public static JournalDamageException At(JournalLine line, string problem) => new(line.Path, line.LineNumber, problem);
}
