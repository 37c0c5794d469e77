namespace JiraAuthServer.Tests.PythonClient;

/// <summary>How one pytest test ended, from the junit XML: passed, failed (with pytest's report), or skipped (why).</summary>
internal sealed record PytestCase(PytestOutcome Outcome, string Detail);
