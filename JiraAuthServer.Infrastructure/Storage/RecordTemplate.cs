namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>
/// A record's exact lines in the file (<c>  "id": {...}</c>, UTF-8) with its token values cut out, for a record this
/// version would write differently (the old server's timestamps, unknown fields, another layout): it goes back out
/// exactly as it came in, while its tokens are held once, as the grant's bytes. A cut is where the access (or refresh)
/// token's base64 goes back; -1 when that token was not cut out (it is then still in <see cref="Text"/>).
/// </summary>
internal sealed record RecordTemplate(byte[] Text, int AccessCut, int RefreshCut)
{
    /// <summary>
    /// Cuts the token values at the given places (start -1: leave that token in) out of <paramref name="entry"/>.
    /// Only tokens held as base64 bytes may be cut: their text is exactly what writing the bytes gives back.
    /// </summary>
    public static RecordTemplate Cut(ReadOnlySpan<byte> entry, (int Start, int Length) access, (int Start, int Length) refresh)
    {
        var cuts = new List<(int Start, int Length, bool IsAccess)>(2);
        if (access.Start >= 0)
        {
            cuts.Add((access.Start, access.Length, true));
        }

        if (refresh.Start >= 0)
        {
            cuts.Add((refresh.Start, refresh.Length, false));
        }

        cuts.Sort((left, right) => left.Start.CompareTo(right.Start));
        var text = new byte[entry.Length - cuts.Sum(cut => cut.Length)];
        int read = 0, written = 0, accessCut = -1, refreshCut = -1;
        foreach (var (start, length, isAccess) in cuts)
        {
            entry[read..start].CopyTo(text.AsSpan(written));
            written += start - read;
            read = start + length;
            if (isAccess)
            {
                accessCut = written;
            }
            else
            {
                refreshCut = written;
            }
        }

        entry[read..].CopyTo(text.AsSpan(written));
        return new RecordTemplate(text, accessCut, refreshCut);
    }
}
