using JiraAuthServer.Core.Authorization;
using JiraAuthServer.Web.Models;

namespace JiraAuthServer.Web.Controllers;

/// <summary>The words and status code of each callback outcome.</summary>
public static class CallbackPages
{
    private const string GetNewLink = "Go back to Telegram and send /auth to the bot to get a new link.";

    public static int StatusCodeOf(CallbackFailure failure) => failure switch
    {
        CallbackFailure.Declined => StatusCodes.Status403Forbidden,
        CallbackFailure.NoJiraSite or CallbackFailure.SiteNotAccessible => StatusCodes.Status403Forbidden,
        CallbackFailure.AtlassianError or CallbackFailure.AtlassianUnavailable => StatusCodes.Status502BadGateway,
        CallbackFailure.StoreUnavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status400BadRequest,
    };

    public static FailurePage Describe(CallbackFailure failure) => failure switch
    {
        CallbackFailure.Declined => new("Access was not granted", "You chose not to give the bot access to your Jira account, so nothing was connected.", "If that was a mistake, " + Lower(GetNewLink)),
        CallbackFailure.InvalidState => new("This link is not valid", "This authorization link was not issued by this server or has been tampered with, so it cannot be used.", GetNewLink),
        CallbackFailure.StateExpiredOrUsed => new("This link has expired", "Authorization links work once and only for a limited time. This one has expired or was already used.", GetNewLink),
        CallbackFailure.MissingCode => new("Authorization did not finish", "Atlassian did not send back an authorization code, so nothing was connected.", GetNewLink),
        CallbackFailure.CodeRejected => new("Authorization did not finish", "Atlassian did not accept the authorization; it may have taken too long.", GetNewLink),
        CallbackFailure.NoJiraSite => new("No Jira site found", "Your Atlassian account does not have access to any Jira site, so there is nothing to connect.", "Ask your Jira administrator for access, then send /auth to the bot again."),
        CallbackFailure.SiteNotAccessible => new("Wrong Jira site", "Your Atlassian account cannot reach the Jira site this bot works with.", "Sign in with the Atlassian account that has access to that site: send /auth to the bot again."),
        CallbackFailure.StoreUnavailable => new("Could not save the connection", "Your Jira account was not connected because the server could not save it right now. Nothing was changed.", "Please try again in a few minutes: send /auth to the bot again."),
        _ => new("Atlassian is not responding", "We could not complete the connection because Atlassian did not answer properly. Nothing was changed.", "Please try again in a few minutes: send /auth to the bot again."),
    };

    private static string Lower(string text) => char.ToLowerInvariant(text[0]) + text[1..];
}
