namespace ServerBench;

/// <summary>
/// The bare endpoint of one store size, started once the server's answer size is known and kept running beside the
/// servers of that size, so that each round of a server's figures is measured next to a round of the floor's: on a
/// machine whose speed drifts from one minute to the next, figures taken minutes apart do not compare.
/// </summary>
internal sealed class BareFloor(Func<int, Task<(ChildProcess Process, Uri Address)>> launch) : IAsyncDisposable
{
    private ChildProcess? process;
    private Uri? address;
    private int bodyBytes;

    public long RssBytes => process?.Memory().RssBytes ?? 0;

    /// <summary>The floor answering <paramref name="answerBytes"/> bytes, as the server does; started on first use.</summary>
    public async Task<Uri> AddressFor(int answerBytes)
    {
        if (process is null)
        {
            (process, address) = await launch(answerBytes);
            bodyBytes = answerBytes;
        }
        else if (answerBytes != bodyBytes)
        {
            throw new InvalidOperationException($"the bare endpoint answers {bodyBytes} bytes, this server {answerBytes}");
        }

        return address!;
    }

    public async ValueTask DisposeAsync()
    {
        if (process is not null)
        {
            await process.DisposeAsync();
        }
    }
}
