namespace JiraAuthServer.Infrastructure.Storage.Fields;

/// <summary>
/// What one reader of records keeps between records (one per thread): the last value of each field whose values most
/// grants share, so 100,000 grants of one installation hold one site and one scope list, and where the current
/// record's tokens are.
/// </summary>
internal sealed class RecordReadState
{
    private readonly object?[] lastShared = new object?[GrantFields.All.Count];

    /// <summary>Where the access token's value is in the record (-1: it cannot be cut out, e.g. it is not base64).</summary>
    public TokenPlace AccessPlace { get; set; } = TokenPlace.None;

    public TokenPlace RefreshPlace { get; set; } = TokenPlace.None;

    public ref object? LastShared(GrantField field) => ref lastShared[field.Index];

    public void StartRecord() => AccessPlace = RefreshPlace = TokenPlace.None;
}
