namespace JiraAuthServer.Web.Models;

/// <summary>The texts of JSON answers; the first ones are the old server's, which bots may compare against.</summary>
public static class ApiMessages
{
    public const string NotAuthenticated = "User not authenticated";
    public const string Revoked = "Authentication revoked successfully";
    public const string TokenExpired = "Token expired";
    public const string Unauthorized = "Unauthorized";
    public const string AuthorizeAgain = "Authorization expired or was revoked at Atlassian; send /auth to the bot to authorize again";
    public const string AtlassianUnreachable = "Jira is temporarily unreachable";
    public const string StoreUnavailable = "Token store is unavailable";
    public const string GrantUnreadable = "This server cannot decrypt the stored grant: check ENCRYPTION_KEY";
    public const string NoJiraSite = "No Jira site is recorded for this user; send /auth to the bot to authorize again";
    public const string JiraTimedOut = "Jira did not answer within JIRA_PROXY_TIMEOUT";
    public const string JiraUnreachable = "Jira could not be reached (connection failed or closed)";
    public const string BotBodyUnreadable = "The request body could not be read to the end";
}
