using System.Net;
using JiraAuthServer.Core.Grants;
using JiraAuthServer.Infrastructure.Crypto;
using JiraAuthServer.Infrastructure.Postgres;
using JiraAuthServer.Tests.Fakes;
using JiraAuthServer.Tests.Support;
using JiraAuthServer.Tests.Web;
using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Tests.Postgres;

/// <summary>
/// Several built servers as child processes on one database and one fake Atlassian, as behind a load balancer. The
/// registered callback URL is the last instance's, as if the balancer sent the browser there.
/// </summary>
public sealed class MultiInstanceContext : IAsyncDisposable
{
    public const string ApiKey = "multi-instance-api-key-3Kd9";
    public const string EncryptionKey = AuthServerFactory.EncryptionKey;

    private readonly List<ServerProcess> servers = [];
    private readonly List<string> folders = [];

    private MultiInstanceContext(FakeAtlassianServer atlassian, TestDatabase database, int[] ports)
    {
        Atlassian = atlassian;
        Database = database;
        Ports = ports;
        atlassian.ConsentMode = FakeConsentMode.AutoApprove;
        atlassian.RedirectUri = $"http://127.0.0.1:{ports[^1]}/auth/callback";
    }

    public FakeAtlassianServer Atlassian { get; }

    public TestDatabase Database { get; }

    public IReadOnlyList<int> Ports { get; }

    public IReadOnlyList<ServerProcess> Servers => servers;

    /// <summary>Everything a process printed, for assertion messages.</summary>
    public string Output => string.Join("\n---\n", servers.Select(server => server.Output));

    /// <param name="instances">How many servers <see cref="StartAllAsync"/> starts.</param>
    /// <param name="cluster">A cluster of the test's own, for tests that stop it; the shared one otherwise.</param>
    public static async Task<MultiInstanceContext> CreateAsync(int instances, PostgresTestCluster? cluster = null)
    {
        var database = await TestDatabase.CreateAsync(cluster);
        var atlassian = await FakeAtlassianServer.StartAsync();
        var ports = Enumerable.Range(0, instances).Select(_ => ServerProcess.FreePort()).ToArray();
        return new MultiInstanceContext(atlassian, database, ports);
    }

    public Dictionary<string, string> Environment(IDictionary<string, string>? overrides = null)
    {
        var environment = Atlassian.EnvironmentVariables().ToDictionary(pair => pair.Key, pair => pair.Value);
        environment["ENCRYPTION_KEY"] = EncryptionKey;
        environment["INTERNAL_API_KEY"] = ApiKey;
        environment["TOKEN_STORE"] = "postgres";
        environment["DATABASE_URL"] = Database.Url;
        foreach (var (name, value) in overrides ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        return environment;
    }

    /// <summary>Starts every instance at once (they migrate the fresh database together) and waits until all are healthy.</summary>
    public async Task StartAllAsync(IDictionary<string, string>? overrides = null)
    {
        var environment = Environment(overrides);
        var started = await Task.WhenAll(Ports.Select(port => ServerProcess.StartAsync(environment, NewFolder(), port)));
        servers.AddRange(started);
    }

    public string NewFolder()
    {
        var folder = Directory.CreateTempSubdirectory("jira-auth-multi-").FullName;
        folders.Add(folder);
        return folder;
    }

    /// <summary>A grant as the server stores it, with an access token that is inside the refresh margin.</summary>
    public async Task<FakeIssuedTokens> SeedGrantAboutToExpireAsync(long telegramUserId)
    {
        var tokens = Atlassian.IssueTokens();
        var cipher = FernetTokenCipher.FromEncryptionKey(EncryptionKey);
        var now = DateTimeOffset.UtcNow;
        var repository = new PostgresTokenRepository(Database.Open());
        await repository.SaveAsync(telegramUserId, new StoredGrant
        {
            EncryptedAccessToken = cipher.Encrypt(tokens.AccessToken),
            EncryptedRefreshToken = cipher.Encrypt(tokens.RefreshToken!),
            ExpiresAt = now.AddMinutes(2),
            Scope = tokens.Scope,
            CreatedAt = now.AddDays(-1),
            UpdatedAt = now.AddMinutes(-58),
            JiraAccountId = FakeJiraUser.Default.AccountId,
            JiraCloudId = FakeAtlassianSite.DefaultCloudId,
        }, CancellationToken.None);
        return tokens;
    }

    public static async Task<(HttpStatusCode Status, JObject Body)> GetTokenAsync(ServerProcess server, long telegramUserId, TimeSpan? timeout = null)
    {
        using var bot = server.CreateClient(ApiKey);
        bot.Timeout = timeout ?? TimeSpan.FromSeconds(60);
        var response = await bot.GetAsync(new Uri($"/auth/token/{telegramUserId}", UriKind.Relative));
        return (response.StatusCode, await WebTestContext.JsonOf(response));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in servers)
        {
            await server.DisposeAsync();
        }

        await Atlassian.DisposeAsync();
        await Database.DisposeAsync();
        foreach (var folder in folders)
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
