namespace JiraAuthServer.Tests.PythonClient;

internal enum PytestOutcome
{
    Passed,
    Failed,
    Skipped,
}
