using System.Net;
using JiraAuthServer.Core.Grants;
using JiraAuthServer.Infrastructure.Crypto;
using JiraAuthServer.Infrastructure.Storage;
using JiraAuthServer.Tests.Support;

namespace JiraAuthServer.Tests.Postgres;

/// <summary>The built server and its commands with <c>TOKEN_STORE=postgres</c>: refusing to start, import-file, export-file.</summary>
public sealed class PostgresServerProcessTests
{
    private MultiInstanceContext context = null!;

    [SetUp]
    public async Task SetUp() => context = await MultiInstanceContext.CreateAsync(instances: 1);

    [TearDown]
    public async Task TearDown() => await context.DisposeAsync();

    [Test]
    public async Task An_unreachable_database_stops_the_start_with_exit_code_1_naming_the_host_and_not_the_password()
    {
        var closedPort = ServerProcess.FreePort();
        var environment = context.Environment(new Dictionary<string, string>
        {
            ["DATABASE_URL"] = $"postgres://jira:S3cret-Pass@127.0.0.1:{closedPort}/jira_auth",
        });

        var (exitCode, output) = await ServerProcess.RunToEndAsync(["--urls", $"http://127.0.0.1:{context.Ports[0]}"], environment, context.NewFolder());

        Assert.That(exitCode, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("The server cannot start"));
        Assert.That(output, Does.Contain($"PostgreSQL at 127.0.0.1:{closedPort}, database jira_auth, user jira cannot be used"));
        Assert.That(output, Does.Not.Contain("S3cret-Pass"));
        Assert.That(output, Does.Not.Contain("   at "), "a message, not a stack trace");
    }

    [Test]
    public async Task Keys_that_open_none_of_the_sampled_grants_stop_the_start_and_change_nothing()
    {
        var repository = new JiraAuthServer.Infrastructure.Postgres.PostgresTokenRepository(context.Database.Open());
        var cipher = FernetTokenCipher.FromEncryptionKey(MultiInstanceContext.EncryptionKey);
        for (var user = 1; user <= 5; user++)
        {
            await repository.SaveAsync(user, GrantBuilder.Minimal(cipher, user.ToString(System.Globalization.CultureInfo.InvariantCulture)), CancellationToken.None);
        }

        var before = await repository.ListAsync(CancellationToken.None);
        var environment = context.Environment(new Dictionary<string, string> { ["ENCRYPTION_KEY"] = FernetKey.Generate().Encode() });

        var (exitCode, output) = await ServerProcess.RunToEndAsync(["--urls", $"http://127.0.0.1:{context.Ports[0]}"], environment, context.NewFolder());

        Assert.That(exitCode, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("the configured ENCRYPTION_KEY opens none of 5 stored grants sampled at random"));
        var after = await repository.ListAsync(CancellationToken.None);
        Assert.That(after.Select(pair => (pair.Key, pair.Value.Revision, pair.Value.EncryptedAccessToken)), Is.EquivalentTo(before.Select(pair => (pair.Key, pair.Value.Revision, pair.Value.EncryptedAccessToken))));
    }

    [Test]
    public async Task Bad_store_settings_are_listed_with_the_others()
    {
        var environment = context.Environment(new Dictionary<string, string> { ["TOKEN_STORE"] = "postgres", ["DATABASE_URL"] = "postgres://jira:S3cret-Pass@db/x?pool=10" });
        environment.Remove("JIRA_CLIENT_ID");

        var (exitCode, output) = await ServerProcess.RunToEndAsync(["--urls", $"http://127.0.0.1:{context.Ports[0]}"], environment, context.NewFolder());
        environment["TOKEN_STORE"] = "mysql";
        var (otherExit, otherOutput) = await ServerProcess.RunToEndAsync(["--urls", $"http://127.0.0.1:{context.Ports[0]}"], environment, context.NewFolder());

        Assert.That(exitCode, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("JIRA_CLIENT_ID is not set"));
        Assert.That(output, Does.Contain("DATABASE_URL has the parameter 'pool', which is not supported"));
        Assert.That(output, Does.Not.Contain("S3cret-Pass"));
        Assert.That(otherExit, Is.EqualTo(1));
        Assert.That(otherOutput, Does.Contain("TOKEN_STORE must be file or postgres"));
    }

    [Test]
    public async Task The_server_never_prints_the_database_password()
    {
        await context.StartAllAsync(new Dictionary<string, string> { ["LOG_LEVEL"] = "Debug" });
        var server = context.Servers[0];
        await context.SeedGrantAboutToExpireAsync(5);

        var token = await MultiInstanceContext.GetTokenAsync(server, 5);

        Assert.That(token.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(server.Output, Does.Contain($"Token store: PostgreSQL at 127.0.0.1:{context.Database.Cluster.Port}"));
        Assert.That(server.Output, Does.Not.Contain(context.Database.Cluster.Password));
    }

    [Test]
    public async Task Import_file_copies_a_token_file_and_export_file_writes_it_back()
    {
        var folder = context.NewFolder();
        var cipher = FernetTokenCipher.FromEncryptionKey(MultiInstanceContext.EncryptionKey);
        var tokens = context.Atlassian.IssueTokens();
        await using (var file = JsonFileTokenRepository.Open(Path.Combine(folder, "user_tokens.json"), cipher))
        {
            await file.SaveManyAsync(
                [
                    KeyValuePair.Create(1L, Grant(cipher, tokens.AccessToken, tokens.RefreshToken!)),
                    KeyValuePair.Create(2L, Grant(cipher, "other-access", "other-refresh")),
                ],
                CancellationToken.None);
        }

        var environment = context.Environment();
        var first = await ServerProcess.RunToEndAsync(["import-file"], environment, folder);
        var again = await ServerProcess.RunToEndAsync(["import-file", "user_tokens.json"], environment, folder);
        var export = await ServerProcess.RunToEndAsync(["export-file", "exported.json"], environment, folder);
        await context.StartAllAsync();
        var served = await MultiInstanceContext.GetTokenAsync(context.Servers[0], 1);

        Assert.That(first.ExitCode, Is.Zero, first.Output);
        Assert.That(first.Output, Does.Contain("(2 grants)").And.Contain("2 inserted, 0 updated, 0 skipped because the database record is newer, 0 unchanged"));
        Assert.That(again.ExitCode, Is.Zero, again.Output);
        Assert.That(again.Output, Does.Contain("0 inserted, 0 updated, 0 skipped because the database record is newer, 2 unchanged"));
        Assert.That(export.ExitCode, Is.Zero, export.Output);
        Assert.That(export.Output, Does.Contain("Wrote 2 grants"));
        Assert.That(first.Output + again.Output + export.Output, Does.Not.Contain(context.Database.Cluster.Password));
        await using (var exported = JsonFileTokenRepository.Open(Path.Combine(folder, "exported.json"), cipher))
        {
            Assert.That(await exported.CountAsync(CancellationToken.None), Is.EqualTo(2));
            Assert.That(cipher.Decrypt((await exported.GetAsync(2, CancellationToken.None))!.EncryptedAccessToken), Is.EqualTo("other-access"));
        }

        Assert.That(served.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(served.Body.Value<string>("access_token"), Is.EqualTo(tokens.AccessToken));
    }

    [Test]
    public async Task Import_file_refuses_a_missing_file_and_an_unreachable_database()
    {
        var folder = context.NewFolder();
        var missing = await ServerProcess.RunToEndAsync(["import-file", "nope.json"], context.Environment(), folder);
        var unreachable = await ServerProcess.RunToEndAsync(
            ["export-file"],
            context.Environment(new Dictionary<string, string> { ["DATABASE_URL"] = $"Host=127.0.0.1;Port={ServerProcess.FreePort()};Username=jira;Password=S3cret-Pass" }),
            folder);

        Assert.That(missing.ExitCode, Is.EqualTo(1), missing.Output);
        Assert.That(missing.Output, Does.Contain("nope.json' does not exist"));
        Assert.That(unreachable.ExitCode, Is.EqualTo(1), unreachable.Output);
        Assert.That(unreachable.Output, Does.Contain("cannot be used"));
        Assert.That(unreachable.Output, Does.Not.Contain("S3cret-Pass"));
        Assert.That(File.Exists(Path.Combine(folder, "user_tokens.json")), Is.False);
    }

    private static StoredGrant Grant(FernetTokenCipher cipher, string access, string refresh) => new()
    {
        EncryptedAccessToken = cipher.Encrypt(access),
        EncryptedRefreshToken = cipher.Encrypt(refresh),
        ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(50),
        UpdatedAt = DateTimeOffset.UtcNow.AddMinutes(-10),
        JiraCloudId = Fakes.FakeAtlassianSite.DefaultCloudId,
    };
}
