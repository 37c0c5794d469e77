namespace JiraAuthServer.Tests;

/// <summary>
/// Before any test: the hosts the tests start (in process, and the server processes, which inherit this environment)
/// do not watch their configuration files. Each watcher holds an inotify instance, Linux allows 128 per user by
/// default, and a run starts hundreds of hosts: with reloading on, tests failed at random once the limit was reached.
/// </summary>
[SetUpFixture]
public sealed class TestRunEnvironment
{
    [OneTimeSetUp]
    public void DoNotWatchConfigurationFiles() => Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
}
