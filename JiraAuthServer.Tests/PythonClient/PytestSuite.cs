using System.Xml.Linq;
using JiraAuthServer.Tests.Support;

namespace JiraAuthServer.Tests.PythonClient;

/// <summary>
/// The pytest suite of <c>clients/python</c>: its test ids (<c>pytest --collect-only</c>), and one run of all of them
/// whose junit XML tells how each ended.
/// </summary>
internal static class PytestSuite
{
    private static readonly TimeSpan CollectLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(5);

    public static string Folder => Path.Combine(RepositoryFolder.Root, "clients", "python");

    /// <summary>The node ids (<c>tests/test_client.py::test_x[sync]</c>); a problem instead when collecting fails.</summary>
    public static (IReadOnlyList<string> NodeIds, string? Problem) Collect()
    {
        var (exitCode, output) = DebianPython.RunAsync(["-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"], Folder, new Dictionary<string, string>(), CollectLimit).GetAwaiter().GetResult();
        var ids = output.Split('\n').Select(line => line.Trim()).Where(line => line.StartsWith("tests/", StringComparison.Ordinal) && line.Contains("::", StringComparison.Ordinal)).ToList();
        return exitCode == 0 && ids.Count > 0 ? (ids, null) : ([], $"pytest --collect-only exited {exitCode}:\n{output}");
    }

    /// <summary>Runs every test once; the cases by node id, and pytest's whole output for when something is amiss.</summary>
    public static async Task<(IReadOnlyDictionary<string, PytestCase> Cases, int ExitCode, string Output)> RunAsync(IReadOnlyDictionary<string, string> environment, string junitFile)
    {
        var (exitCode, output) = await DebianPython.RunAsync(["-m", "pytest", "-p", "no:cacheprovider", "-rfEs", $"--junitxml={junitFile}"], Folder, environment, RunLimit);
        var cases = File.Exists(junitFile) ? Read(XDocument.Load(junitFile)) : new Dictionary<string, PytestCase>();
        return (cases, exitCode, output);
    }

    /// <summary>
    /// junit names a test by its dotted module and classes (<c>tests.test_client</c>) and its name with the parameters
    /// (<c>test_x[sync]</c>); turned back into the node id it was collected as.
    /// </summary>
    private static Dictionary<string, PytestCase> Read(XDocument junit)
    {
        var cases = new Dictionary<string, PytestCase>(StringComparer.Ordinal);
        foreach (var testCase in junit.Descendants("testcase"))
        {
            var path = ((string?)testCase.Attribute("classname") ?? string.Empty).Split('.');
            var module = string.Join('/', path.TakeWhile(part => !IsClassName(part))) + ".py";
            var classes = path.SkipWhile(part => !IsClassName(part));
            var nodeId = string.Join("::", [module, .. classes, (string?)testCase.Attribute("name") ?? string.Empty]);
            var failure = testCase.Elements().FirstOrDefault(element => element.Name.LocalName is "failure" or "error");
            var skipped = testCase.Element("skipped");
            var result = failure is not null ? new PytestCase(PytestOutcome.Failed, Describe(failure))
                : skipped is not null ? new PytestCase(PytestOutcome.Skipped, (string?)skipped.Attribute("message") ?? skipped.Value)
                : new PytestCase(PytestOutcome.Passed, string.Empty);

            // A test can be reported twice (an error in its teardown after it passed): a failure wins.
            if (!cases.TryGetValue(nodeId, out var earlier) || earlier.Outcome != PytestOutcome.Failed)
            {
                cases[nodeId] = result;
            }
        }

        return cases;
    }

    /// <summary>pytest's test classes are <c>TestSomething</c>; modules are lowercase.</summary>
    private static bool IsClassName(string part) => part.Length > 0 && char.IsUpper(part[0]);

    private static string Describe(XElement failure) => $"{(string?)failure.Attribute("message")}\n{failure.Value}";
}
