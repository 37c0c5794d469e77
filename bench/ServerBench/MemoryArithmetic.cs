using System.Globalization;
using System.Text;

namespace ServerBench;

/// <summary>
/// The file store's RSS split into the ciphertext it must hold (every grant's tokens stay in memory) and the rest
/// (runtime and records), and what that leaves of the "RSS &lt; 300 MB at 100,000 users" target.
/// </summary>
internal static class MemoryArithmetic
{
    private const int TargetUsers = 100_000;
    private const long TargetRssBytes = 300_000_000;

    public static void Print(StringBuilder text, IReadOnlyList<SizeResult> fileStore)
    {
        if (fileStore.Count == 0)
        {
            return;
        }

        var sizes = fileStore.OrderBy(r => r.Users).ToList();
        var smallest = sizes[0];
        var runtimeBase = smallest.RssBytes - smallest.CiphertextBytes;
        foreach (var r in sizes)
        {
            var baseNote = r == smallest ? string.Empty : Invariant($"; RSS at {smallest.Users:N0} users (runtime base) = {smallest.RssBytes / 1e6:F1} MB");
            text.AppendLine(Invariant($"{r.Users:N0} users: {r.CiphertextBytes / 1e6:F1} MB of ciphertext held + {(r.RssBytes - r.CiphertextBytes) / 1e6:F1} MB runtime and records = {r.RssBytes / 1e6:F1} MB RSS after /auth/token{baseNote}"));
        }

        if (smallest.Users >= TargetUsers)
        {
            return;
        }

        // Each grant's ciphertext has a fixed size (Fernet of a 1.5 KB and a 0.7 KB token), so a run without 100,000
        // users can still say what they would hold.
        var measured = sizes.FirstOrDefault(r => r.Users == TargetUsers);
        var largest = sizes[^1];
        var ciphertext = measured?.CiphertextBytes ?? largest.CiphertextBytes * TargetUsers / largest.Users;
        var source = measured is not null
            ? "measured"
            : Invariant($"projected from {(double)largest.CiphertextBytes / largest.Users:F0} bytes a grant");
        var floor = runtimeBase + ciphertext;
        var verdict = floor < TargetRssBytes
            ? Invariant($"leaves {(TargetRssBytes - floor) / 1e6:F0} MB for 100,000 records' other fields and the store's indexes")
            : "so RSS < 300 MB cannot be met while every grant is held in memory";
        text.AppendLine(Invariant($"RSS floor at {TargetUsers:N0} users: runtime base {runtimeBase / 1e6:F1} MB (RSS at {smallest.Users:N0} users less its ciphertext) + {ciphertext / 1e6:F1} MB ciphertext ({source}) = {floor / 1e6:F1} MB before any other per-grant memory; the target is 300 MB, {verdict}"));

        // Even a process that is nothing but Kestrel (the bare endpoint) plus the ciphertext is the lowest RSS any
        // .NET server holding every grant could have.
        var bareFloor = smallest.BareRssBytes + ciphertext;
        text.AppendLine(Invariant($"Lowest conceivable: the bare endpoint's own RSS {smallest.BareRssBytes / 1e6:F1} MB + {ciphertext / 1e6:F1} MB ciphertext = {bareFloor / 1e6:F1} MB ({(bareFloor < TargetRssBytes ? "under" : "over")} 300 MB)"));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
