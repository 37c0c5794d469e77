using System.Globalization;
using JiraAuthServer.Core.Options;
using JiraAuthServer.Infrastructure.Storage.Journal;
using Microsoft.Extensions.Configuration;

namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>
/// <c>JOURNAL_COMPACTION_MB</c>: journal size that starts a compaction of the token file (and of the pending-states
/// file). Unset: a quarter of the snapshot, at least 16 and at most 32 MB.
/// </summary>
public static class JournalCompactionSetting
{
    private const double LargestMegabytes = 4096;

    /// <returns>The threshold in bytes; null when unset (the default rule).</returns>
    public static long? Bytes(IConfiguration configuration) =>
        TryParse(configuration[SettingNames.JournalCompaction], out var bytes) ? bytes : null;

    public static IEnumerable<string> FindErrors(IConfiguration configuration)
    {
        if (configuration[SettingNames.JournalCompaction] is { } text && !TryParse(text, out _))
        {
            yield return $"{SettingNames.JournalCompaction} must be a number of megabytes above 0 and at most {LargestMegabytes} (such as 32, or 0.5); unset, a journal is compacted at a quarter of the token file, {JournalCompaction.SmallestThreshold >> 20}–{JournalCompaction.LargestThreshold >> 20} MB";
        }
    }

    private static bool TryParse(string? text, out long? bytes)
    {
        bytes = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (!double.TryParse(text.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var megabytes) || megabytes <= 0 || megabytes > LargestMegabytes)
        {
            return false;
        }

        bytes = Math.Max(1, (long)(megabytes * (1 << 20)));
        return true;
    }
}
