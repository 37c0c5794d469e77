namespace JiraAuthServer.Core.Tokens;

/// <summary>The release of a lock that held nothing.</summary>
public sealed class NothingHeld : IAsyncDisposable
{
    public static NothingHeld Instance { get; } = new();

    private NothingHeld()
    {
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
