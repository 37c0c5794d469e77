using System.Diagnostics;
using JiraAuthServer.Tests.Support;

namespace JiraAuthServer.Tests.Deploy;

/// <summary>deploy/jira-auth.service: the hardening the README promises, and a unit systemd itself accepts.</summary>
public sealed class SystemdUnitTests
{
    private static string UnitFile => Path.Combine(RepositoryFolder.Root, "deploy", "jira-auth.service");

    [TestCase("Type", "notify")]
    [TestCase("User", "jira-auth")]
    [TestCase("StateDirectory", "jira-auth")]
    [TestCase("WorkingDirectory", "/var/lib/jira-auth")]
    [TestCase("EnvironmentFile", "/etc/jira-auth/jira-auth.env")]
    [TestCase("ExecStart", "/usr/bin/dotnet /opt/jira-auth/JiraAuthServer.Web.dll --urls http://127.0.0.1:5000")]
    [TestCase("Restart", "on-failure")]
    [TestCase("UMask", "0077")]
    [TestCase("NoNewPrivileges", "yes")]
    [TestCase("ProtectSystem", "strict")]
    [TestCase("ProtectHome", "yes")]
    [TestCase("PrivateTmp", "yes")]
    public void The_service_section_sets(string directive, string value)
    {
        Assert.That(ServiceDirectives(), Does.Contain($"{directive}={value}"));
    }

    [Test]
    public void Nothing_is_written_beside_the_published_files()
    {
        var directives = ServiceDirectives();
        Assert.That(directives.Where(line => line.StartsWith("ReadWritePaths=", StringComparison.Ordinal)), Is.Empty, "ProtectSystem=strict leaves only the state directory writable");
        Assert.That(directives.Any(line => line.StartsWith("WorkingDirectory=/opt", StringComparison.Ordinal)), Is.False);
    }

    [Test]
    public async Task Systemd_analyze_verify_accepts_it_without_a_warning()
    {
        if (!File.Exists("/usr/bin/systemd-analyze"))
        {
            Assert.Ignore("systemd-analyze is not installed (Debian package systemd)");
        }

        var start = new ProcessStartInfo("systemd-analyze", ["verify", UnitFile]) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var verify = Process.Start(start)!;
        var errors = verify.StandardError.ReadToEndAsync();
        var output = await verify.StandardOutput.ReadToEndAsync();
        await verify.WaitForExitAsync();

        // verify exits 0 even for an unknown or misspelled directive: it warns, naming the file and line.
        var problems = ((await errors) + output).Split('\n').Where(line => line.Contains("jira-auth.service", StringComparison.Ordinal)).ToList();
        Assert.That(verify.ExitCode, Is.Zero, await errors);
        Assert.That(problems, Is.Empty);
    }

    private static List<string> ServiceDirectives()
    {
        var lines = File.ReadAllLines(UnitFile).Select(line => line.Trim()).ToList();
        var service = lines.IndexOf("[Service]");
        Assert.That(service, Is.GreaterThanOrEqualTo(0), "a [Service] section");
        return [.. lines.Skip(service + 1).TakeWhile(line => !line.StartsWith('[')).Where(line => line.Length > 0 && !line.StartsWith('#'))];
    }
}
