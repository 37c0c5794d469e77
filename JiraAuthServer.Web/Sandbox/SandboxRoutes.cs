namespace JiraAuthServer.Web.Sandbox;

public static class SandboxRoutes
{
    /// <summary>The developer's start page.</summary>
    public const string Home = "/sandbox";

    /// <summary>The stand-in Atlassian: <c>/authorize</c>, <c>/oauth/token</c>, accessible-resources and Jira myself under it.</summary>
    public const string Atlassian = "/sandbox/atlassian";
}
