namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>
/// What a change did: for a save or delete, whether the user had a grant before; for a replace, whether it was applied;
/// for a re-encryption, the users it skipped because their grant changed since it was read.
/// </summary>
internal sealed record GrantChangeResult(bool Applied, IReadOnlyList<long> Skipped)
{
    public static GrantChangeResult Of(bool applied) => applied ? Yes : No;

    private static GrantChangeResult Yes { get; } = new(true, []);

    private static GrantChangeResult No { get; } = new(false, []);
}
