namespace JiraAuthServer.Tests.Web;

/// <summary>
/// Tests that each get a fresh in-process server (<see cref="WebTestContext"/>): started before every test and disposed
/// after it. Override <see cref="StartContextAsync"/> for settings or a fake clock. NUnit runs a subclass's own
/// [SetUp] after this one, once the server is up, and its own [TearDown] before this one, while the server still runs.
/// </summary>
public abstract class WebTestBase
{
    protected WebTestContext Context { get; set; } = null!;

    [SetUp]
    public async Task StartServer() => Context = await StartContextAsync();

    [TearDown]
    public async Task StopServer() => await Context.DisposeAsync();

    protected virtual Task<WebTestContext> StartContextAsync() => WebTestContext.StartAsync();
}
