namespace JiraAuthServer.Infrastructure.Storage.Fields;

/// <summary>Where a token's value is in a record's text (-1: it cannot be cut out, e.g. it is not base64).</summary>
internal readonly record struct TokenPlace(int Start, int Length)
{
    public static TokenPlace None => new(-1, 0);
}
