using JiraAuthServer.Infrastructure.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace JiraAuthServer.Tests.Postgres;

/// <summary>
/// A fresh database on a test cluster. Each <see cref="Open"/> is what one server process has: its own pool and
/// schema check; several of them on one database stand for several server processes.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly List<PostgresDatabase> opened = [];

    private TestDatabase(PostgresTestCluster cluster, string name)
    {
        Cluster = cluster;
        Name = name;
    }

    public PostgresTestCluster Cluster { get; }

    public string Name { get; }

    public string Url => Cluster.Url(Name);

    public static async Task<TestDatabase> CreateAsync(PostgresTestCluster? cluster = null)
    {
        cluster ??= PostgresFixture.Cluster;
        return new TestDatabase(cluster, await cluster.CreateDatabaseAsync());
    }

    public NpgsqlConnectionStringBuilder Settings() => new(Cluster.ConnectionString(Name)) { Pooling = true };

    public PostgresDatabase Open()
    {
        var database = PostgresDatabase.Open(Settings(), NullLogger.Instance);
        lock (opened)
        {
            opened.Add(database);
        }

        return database;
    }

    public Task ExecuteAsync(string sql) => Cluster.ExecuteAsync(Name, sql);

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(Cluster.ConnectionString(Name));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var database in opened)
        {
            await database.DisposeAsync();
        }
    }
}
