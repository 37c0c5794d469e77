namespace JiraAuthServer.Web.Models;

/// <summary>What the failure page tells the user: what happened and what to do now.</summary>
public sealed record FailurePage(string Title, string Explanation, string NextStep);
