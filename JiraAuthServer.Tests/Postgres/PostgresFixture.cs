using JiraAuthServer.Tests.Support;

namespace JiraAuthServer.Tests.Postgres;

/// <summary>
/// One throwaway cluster for every test in this namespace, started before the first and removed after the last.
/// Without PostgreSQL the tests are ignored with the reason; in CI (<c>CI=true</c>) they fail instead, so a missing
/// install cannot pass as green. Tests that need no database belong in another namespace.
/// </summary>
[SetUpFixture]
public sealed class PostgresFixture
{
    private static PostgresTestCluster? shared;
    private static string? unavailable;

    /// <summary>The shared cluster; ignores (or in CI fails) the calling test when there is none.</summary>
    public static PostgresTestCluster Cluster
    {
        get
        {
            if (shared is null)
            {
                RequireOrIgnore(unavailable ?? "the PostgreSQL fixture did not run");
            }

            return shared!;
        }
    }

    /// <summary>A private cluster, for tests that stop and start the server.</summary>
    public static async Task<PostgresTestCluster> StartPrivateClusterAsync()
    {
        _ = Cluster;
        return await PostgresTestCluster.StartAsync(ServerProcess.FreePort());
    }

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        try
        {
            shared = await PostgresTestCluster.StartAsync(ServerProcess.FreePort());
        }
        catch (Exception exception) when (exception is InvalidOperationException or System.ComponentModel.Win32Exception or IOException or UnauthorizedAccessException)
        {
            // Ignoring here ignores every test below, before any of their set-ups and tear-downs run.
            unavailable = exception.Message;
            RequireOrIgnore(unavailable);
        }
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (shared is not null)
        {
            await shared.DisposeAsync();
            shared = null;
        }
    }

    private static void RequireOrIgnore(string reason)
    {
        var message = "PostgreSQL tests need a local PostgreSQL: " + reason;
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(message);
        }

        Assert.Ignore(message);
    }
}
