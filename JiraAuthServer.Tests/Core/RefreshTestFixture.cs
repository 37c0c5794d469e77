namespace JiraAuthServer.Tests.Core;

/// <summary>A fixture whose every test gets a fresh <see cref="RefreshTestContext"/>, disposed after it.</summary>
public abstract class RefreshTestFixture
{
    protected RefreshTestContext Context { get; private set; } = null!;

    [SetUp]
    public void CreateContext() => Context = new RefreshTestContext();

    [TearDown]
    public void DisposeContext() => Context.Dispose();
}
