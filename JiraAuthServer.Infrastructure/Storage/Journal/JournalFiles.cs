namespace JiraAuthServer.Infrastructure.Storage.Journal;

/// <summary>
/// Where a store's journal lives: <c>&lt;file&gt;.journal</c> is appended to; <c>&lt;file&gt;.journal.N</c> are journals a
/// compaction has sealed and is folding into the snapshot (more than one only after a crash during compaction).
/// They are replayed sealed ones first, by N, then the active one.
/// </summary>
internal static class JournalFiles
{
    public static string Active(string snapshotPath) => snapshotPath + ".journal";

    public static string Sealed(string snapshotPath, int number) => $"{snapshotPath}.journal.{number}";

    /// <summary>The sealed journals in replay order, with their numbers.</summary>
    public static IReadOnlyList<(int Number, string Path)> SealedFiles(string snapshotPath)
    {
        var directory = Path.GetDirectoryName(snapshotPath)!;
        var prefix = Path.GetFileName(Active(snapshotPath)) + ".";
        if (!Directory.Exists(directory))
        {
            return [];
        }

        // The pattern also matches the active journal itself (".*" matches no extension): the prefix check drops it.
        return Directory.EnumerateFiles(directory, prefix + "*")
            .Where(path => Path.GetFileName(path).StartsWith(prefix, StringComparison.Ordinal))
            .Select(path => (Path: path, Suffix: Path.GetFileName(path)[prefix.Length..]))
            .Where(file => file.Suffix.Length is > 0 and < 10 && file.Suffix.All(char.IsAsciiDigit))
            .Select(file => (int.Parse(file.Suffix, System.Globalization.CultureInfo.InvariantCulture), file.Path))
            .OrderBy(file => file.Item1)
            .ToList();
    }

    /// <summary>Where a journal file comes in the replay: sealed ones by number, the active one last.</summary>
    public static long Order(string path)
    {
        var suffix = Path.GetExtension(path).TrimStart('.');
        return int.TryParse(suffix, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : long.MaxValue;
    }

    /// <summary>Every journal file, sealed ones first: what a replay reads.</summary>
    public static IReadOnlyList<string> All(string snapshotPath) =>
        [.. SealedFiles(snapshotPath).Select(file => file.Path), .. File.Exists(Active(snapshotPath)) ? [Active(snapshotPath)] : Array.Empty<string>()];

    /// <summary>Removes every journal of the snapshot (it holds all their changes now), then makes that durable.</summary>
    public static void DeleteAll(string snapshotPath)
    {
        foreach (var path in All(snapshotPath))
        {
            File.Delete(path);
        }

        DirectorySync.Flush(Path.GetDirectoryName(snapshotPath)!);
    }
}
