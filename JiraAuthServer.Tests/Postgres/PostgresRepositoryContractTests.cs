using JiraAuthServer.Core.Storage;
using JiraAuthServer.Infrastructure.Postgres;
using JiraAuthServer.Tests.Infrastructure.Storage;

namespace JiraAuthServer.Tests.Postgres;

public sealed class PostgresRepositoryContractTests : TokenRepositoryContract
{
    private TestDatabase database = null!;

    [SetUp]
    public async Task SetUp() => database = await TestDatabase.CreateAsync();

    [TearDown]
    public async Task TearDown() => await database.DisposeAsync();

    protected override Task<ITokenRepository> OpenAsync() => Task.FromResult<ITokenRepository>(new PostgresTokenRepository(database.Open()));

    /// <summary>Another server process on the same database, while the first one keeps running.</summary>
    protected override Task<ITokenRepository> ReopenAsync(ITokenRepository previous) => OpenAsync();

    /// <summary>A trigger that refuses every change of a grant, as a full disk or a read-only replica would.</summary>
    protected override Task BreakWritesAsync(ITokenRepository repository) => database.ExecuteAsync("""
        CREATE FUNCTION refuse_grant_writes() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'writes refused by the test'; END $$;
        CREATE TRIGGER refuse_grant_writes BEFORE INSERT OR UPDATE OR DELETE ON jira_auth_grants FOR EACH ROW EXECUTE FUNCTION refuse_grant_writes();
        """);

    protected override Task RepairWritesAsync(ITokenRepository repository) => database.ExecuteAsync("""
        DROP TRIGGER refuse_grant_writes ON jira_auth_grants;
        DROP FUNCTION refuse_grant_writes();
        """);
}
