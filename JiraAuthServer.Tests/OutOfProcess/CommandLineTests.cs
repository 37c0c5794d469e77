using System.Net.Sockets;
using JiraAuthServer.Infrastructure.Crypto;
using JiraAuthServer.Infrastructure.Storage;
using JiraAuthServer.Tests.Infrastructure.Crypto;
using JiraAuthServer.Tests.Support;
using JiraAuthServer.Web.Diagnostics;
using JiraAuthServer.Web.Hosting;

namespace JiraAuthServer.Tests.OutOfProcess;

/// <summary>The built server's command line: help, version, usage errors, and commands that ask only for their own settings.</summary>
public sealed class CommandLineTests : ProcessTestBase
{
    private const string NewKey = "CXPtkOcESuC8qq6_-ZhbW0kY1WD6lZlxsDvqR921SEo=";

    private static readonly Dictionary<string, IReadOnlyList<string>> CommandsAndSettings = new()
    {
        ["generate-key"] = [],
        ["rotate-keys"] = CommandSettings.RotateKeys,
        ["import-file"] = CommandSettings.ImportFile,
        ["export-file"] = CommandSettings.ExportFile,
    };

    [Test]
    public async Task Help_describes_the_server_and_lists_every_command_with_exit_code_0()
    {
        var (exitCode, output, error) = await ServerProcess.RunCommandAsync(["--help"], Context.Environment(), Context.Folder);

        Assert.That(exitCode, Is.Zero, error);
        Assert.That(output, Does.Contain("Usage:").And.Contain("--urls").And.Contain("--version").And.Contain("Exit codes"));
        Assert.That(CommandsAndSettings.Keys, Has.All.Matches<string>(output.Contains));
        Assert.That(File.Exists(Context.TokensFile), Is.False, "no server ran");
    }

    [TestCase("generate-key")]
    [TestCase("rotate-keys")]
    [TestCase("import-file")]
    [TestCase("export-file")]
    public async Task Each_command_has_help_naming_the_settings_it_reads(string command)
    {
        var (exitCode, output, error) = await ServerProcess.RunCommandAsync([command, "--help"], new Dictionary<string, string>(), Context.Folder);

        Assert.That(exitCode, Is.Zero, error);
        Assert.That(output, Does.Contain("Usage:").And.Contain(command));
        Assert.That(CommandsAndSettings[command], Has.All.Matches<string>(output.Contains));
        Assert.That(output, Does.Not.Contain("JIRA_CLIENT_ID").And.Not.Contain("INTERNAL_API_KEY"));
    }

    [Test]
    public async Task Version_prints_the_assemblys_informational_version()
    {
        var (exitCode, output, error) = await ServerProcess.RunCommandAsync(["--version"], new Dictionary<string, string>(), Context.Folder);

        Assert.That(exitCode, Is.Zero, error);
        Assert.That(output.Trim(), Is.EqualTo(BuildVersion.Informational));
        Assert.That(BuildVersion.Informational, Does.Match(@"^\d+\.\d+\.\d+"));
    }

    [TestCase("rotate-key")]
    [TestCase("--bogus")]
    [TestCase("--bogus=1")]
    [TestCase("rotate-keys", "--bogus")]
    [TestCase("export-file", "a.json", "b.json")]
    public async Task An_unknown_command_or_option_exits_2_with_the_usage_on_stderr_and_starts_nothing(params string[] arguments)
    {
        var (exitCode, output, error) = await ServerProcess.RunCommandAsync(
            [.. arguments, "--urls", $"http://127.0.0.1:{Context.Port}"], Context.Environment(), Context.Folder);

        Assert.That(exitCode, Is.EqualTo(2), output + error);
        Assert.That(error, Does.Contain("Usage:").And.Contain(arguments[^1]));
        Assert.That(output, Is.Empty, "the usage goes to stderr");
        Assert.That(File.Exists(Context.TokensFile), Is.False, "no server or command ran");
        using var probe = new TcpClient();
        Assert.That(() => probe.Connect("127.0.0.1", Context.Port), Throws.InstanceOf<SocketException>(), "nothing listens");
    }

    [Test]
    public async Task Rotate_keys_runs_with_only_the_key_ring_and_reports_progress_on_stderr()
    {
        var oldCipher = FernetTokenCipher.FromEncryptionKey(ProcessTestContext.EncryptionKey);
        await using (var file = JsonFileTokenRepository.Open(Context.TokensFile, oldCipher))
        {
            await file.SaveManyAsync([.. Enumerable.Range(1, 3).Select(user => KeyValuePair.Create((long)user, GrantBuilder.Minimal(oldCipher, $"{user}")))], CancellationToken.None);
        }

        var (exitCode, output, error) = await ServerProcess.RunCommandAsync(
            ["rotate-keys"], new Dictionary<string, string> { ["ENCRYPTION_KEY"] = $"{NewKey},{ProcessTestContext.EncryptionKey}" }, Context.Folder);

        Assert.That(exitCode, Is.Zero, output + error);
        Assert.That(output, Does.Contain("Re-encrypted 3 of 3 grants"));
        Assert.That(error, Does.Match(@"rotate-keys: 3 of 3 grants \(\d[\d,]*/s\)"), "progress: count and rate");
        Assert.That(error, Does.Match(@"rotate-keys: done, 3 grants .* in \d+\.\d s \(\d[\d,]*/s\)"), "the summary line");
        await using var rotated = JsonFileTokenRepository.Open(Context.TokensFile, FernetTokenCipher.FromEncryptionKey(NewKey));
        Assert.That(rotated.UnreadableUserIds, Is.Empty, "the new key alone opens every grant");
        Assert.That(FernetTokenCipher.FromEncryptionKey(NewKey).Decrypt((await rotated.GetAsync(2, CancellationToken.None))!.EncryptedAccessToken), Is.EqualTo("access-2"));
    }

    [Test]
    public async Task Rotate_keys_exits_1_naming_the_grants_no_configured_key_opens()
    {
        var foreign = FernetTokenCipher.FromEncryptionKey(FernetKey.Generate().Encode());
        var known = FernetTokenCipher.FromEncryptionKey(ProcessTestContext.EncryptionKey);
        await using (var file = JsonFileTokenRepository.Open(Context.TokensFile, known))
        {
            await file.SaveManyAsync([KeyValuePair.Create(1L, GrantBuilder.Minimal(known, "1")), KeyValuePair.Create(2L, GrantBuilder.Minimal(foreign, "2"))], CancellationToken.None);
        }

        var (exitCode, output, error) = await ServerProcess.RunCommandAsync(
            ["rotate-keys"], new Dictionary<string, string> { ["ENCRYPTION_KEY"] = $"{NewKey},{ProcessTestContext.EncryptionKey}" }, Context.Folder);

        Assert.That(exitCode, Is.EqualTo(1), output + error);
        Assert.That(output, Does.Contain("Re-encrypted 1 of 2 grants").And.Contain("1 grants open with no configured key and were left untouched: users 2"));
    }

    [Test]
    public async Task A_command_lists_only_its_own_settings_at_fault_with_exit_code_1()
    {
        var (exitCode, output, error) = await ServerProcess.RunCommandAsync(
            ["rotate-keys"], new Dictionary<string, string> { ["TOKEN_STORE"] = "redis", ["LOG_FORMAT"] = "xml" }, Context.Folder);

        Assert.That(exitCode, Is.EqualTo(1), output + error);
        Assert.That(error, Does.Contain("rotate-keys cannot run:"));
        Assert.That(error, Does.Contain("ENCRYPTION_KEY is not set").And.Contain("TOKEN_STORE must be file or postgres").And.Contain("LOG_FORMAT must be text or json"));
        Assert.That(error, Does.Not.Contain("JIRA_CLIENT_ID").And.Not.Contain("INTERNAL_API_KEY").And.Not.Contain("JIRA_REDIRECT_URI"));
        Assert.That(error, Does.Not.Contain("   at "), "a message, not a stack trace");
    }

    [Test]
    public async Task The_server_logs_its_version_at_start_and_exports_it_as_a_metric()
    {
        var server = await Context.StartServerAsync();
        using var bot = server.CreateClient(ProcessTestContext.ApiKey);

        var metrics = await bot.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.That(server.Output, Does.Contain($"Jira Authorization Server {BuildVersion.Informational}"));
        Assert.That(metrics, Does.Contain($"jira_auth_build_info{{version=\"{BuildVersion.Informational}\"}} 1"));
    }
}
