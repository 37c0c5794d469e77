namespace JiraAuthServer.Tests.OutOfProcess;

/// <summary>
/// Tests that each get a fresh <see cref="ProcessTestContext"/> (fake Atlassian, folder, port; no server until a test
/// starts one), disposed after the test. NUnit runs a subclass's own [SetUp] after this one, so it can add settings.
/// </summary>
public abstract class ProcessTestBase
{
    protected ProcessTestContext Context { get; private set; } = null!;

    [SetUp]
    public async Task CreateContext() => Context = await ProcessTestContext.CreateAsync();

    [TearDown]
    public async Task DisposeContext() => await Context.DisposeAsync();
}
