namespace JiraAuthServer.Infrastructure.Postgres;

/// <summary>What an import did with each grant of the file.</summary>
/// <param name="Inserted">Users the database did not have.</param>
/// <param name="Updated">Users whose database record was older (or as old) and different: replaced by the file's.</param>
/// <param name="Unchanged">Users whose database record already equals the file's.</param>
/// <param name="SkippedNewer">Users whose database record has a later <c>updated_at</c> than the file's, left as they were.</param>
public sealed record TokenFileImportResult(int Inserted, int Updated, int Unchanged, IReadOnlyList<long> SkippedNewer);
