namespace JiraAuthServer.Web.OpenApi;

/// <summary>
/// The operation's 200 is another server's answer passed on as it is (a Jira call): documented as any content type,
/// with no schema of this server's.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AnswerPassedOnAttribute : Attribute;
