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
}
