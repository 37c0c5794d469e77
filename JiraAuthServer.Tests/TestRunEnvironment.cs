namespace JiraAuthServer.Tests;

/// <summary>
/// Before any test: the hosts the tests start (in process, and the server processes, which inherit this environment)
/// do not watch their configuration files, and file providers poll instead of holding an inotify watch (the pages'
/// <c>asp-append-version</c> watches <c>wwwroot</c>). Linux allows 128 inotify instances per user by default, a run
/// starts hundreds of hosts in one process, and once the limit was reached pages failed at random with a 500.
/// </summary>
[SetUpFixture]
public sealed class TestRunEnvironment
{
    [OneTimeSetUp]
    public void DoNotHoldInotifyWatches()
    {
        Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
        Environment.SetEnvironmentVariable("DOTNET_USE_POLLING_FILE_WATCHER", "true");
    }
}
