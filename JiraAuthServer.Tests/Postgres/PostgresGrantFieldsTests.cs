using JiraAuthServer.Infrastructure.Postgres;
using JiraAuthServer.Tests.Infrastructure.Storage;

namespace JiraAuthServer.Tests.Postgres;

/// <summary>The PostgreSQL mapping goes through the same field list as the file: a grant with every field set comes back whole.</summary>
public sealed class PostgresGrantFieldsTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private TestDatabase database = null!;

    [SetUp]
    public async Task SetUp() => database = await TestDatabase.CreateAsync();

    [TearDown]
    public async Task TearDown() => await database.DisposeAsync();

    [Test]
    public async Task Every_field_survives_the_database()
    {
        var grant = GrantFieldsTests.EveryField();
        await new PostgresTokenRepository(database.Open()).SaveManyAsync([KeyValuePair.Create(77L, grant)], None);

        var anotherProcess = new PostgresTokenRepository(database.Open());

        GrantFieldsTests.AssertEveryField(await anotherProcess.GetAsync(77, None), grant, unknownAsJson: true);
        GrantFieldsTests.AssertEveryField((await anotherProcess.ListAsync(None)).Single().Value, grant, unknownAsJson: true);
    }
}
