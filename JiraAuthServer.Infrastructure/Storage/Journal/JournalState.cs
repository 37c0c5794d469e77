namespace JiraAuthServer.Infrastructure.Storage.Journal;

/// <summary>What a replay found: where appending goes on.</summary>
internal sealed class JournalState
{
    /// <summary>The last sequence number replayed (0: none).</summary>
    public long LastSequence { get; set; }

    /// <summary>The active journal's length up to its last whole change; anything after it is cut off before appending.</summary>
    public long ActiveLength { get; set; }

    public int NextSealNumber { get; set; } = 1;

    /// <summary>Whether any journal file was there (a crash, or a stop that could not compact).</summary>
    public bool HasJournal { get; set; }

    /// <summary>What was dropped from the end of the active journal, for the warning; null when nothing was.</summary>
    public string? DroppedTail { get; set; }
}
