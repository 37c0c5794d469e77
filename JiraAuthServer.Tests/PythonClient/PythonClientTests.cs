namespace JiraAuthServer.Tests.PythonClient;

/// <summary>
/// The Python client (<c>clients/python</c>) against the real built server and the fake Atlassian: pytest runs once,
/// and each of its tests is one test case here, passed, failed (with pytest's report) or skipped, so they count in the
/// same results as every other test.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class PythonClientTests
{
    private const string CollectionProblem = "(pytest collection)";

    private PythonClientScenario? scenario;
    private IReadOnlyDictionary<string, PytestCase> cases = new Dictionary<string, PytestCase>();
    private string report = string.Empty;

    /// <summary>The suite's node ids, collected when the tests are discovered.</summary>
    public static IEnumerable<TestCaseData> PytestTests()
    {
        if (DebianPython.WhatIsMissing is { } missing)
        {
            yield return new TestCaseData(CollectionProblem).SetArgDisplayNames("python client tests").Ignore(missing);
            yield break;
        }

        var (nodeIds, problem) = PytestSuite.Collect();
        if (problem is not null)
        {
            // A suite that cannot be collected must fail, not vanish.
            yield return new TestCaseData(problem).SetArgDisplayNames(CollectionProblem);
            yield break;
        }

        foreach (var nodeId in nodeIds)
        {
            yield return new TestCaseData(nodeId).SetArgDisplayNames(nodeId);
        }
    }

    [OneTimeSetUp]
    public async Task RunPytestAgainstTheServer()
    {
        if (DebianPython.WhatIsMissing is { } missing)
        {
            Assert.Ignore(missing);
        }

        scenario = await PythonClientScenario.StartAsync();
        var junit = Path.Combine(scenario.WebhookFolder, "..", "pytest-junit.xml");
        var (results, exitCode, output) = await PytestSuite.RunAsync(scenario.PytestEnvironment(), junit);
        cases = results;
        report = $"pytest exited {exitCode}:\n{output}";
        TestContext.Progress.WriteLine($"Python client: {results.Count} pytest results, pytest exited {exitCode}");
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        if (scenario is not null)
        {
            await scenario.DisposeAsync();
        }
    }

    [TestCaseSource(nameof(PytestTests))]
    public void Pytest(string nodeId)
    {
        if (!cases.TryGetValue(nodeId, out var result))
        {
            Assert.Fail($"pytest did not report {nodeId}.\n{report}\nServer output:\n{scenario?.ServerOutput}");
            return;
        }

        switch (result.Outcome)
        {
            case PytestOutcome.Skipped:
                Assert.Ignore(result.Detail);
                break;
            case PytestOutcome.Failed:
                Assert.Fail($"{result.Detail}\nServer output:\n{scenario?.ServerOutput}");
                break;
        }
    }
}
