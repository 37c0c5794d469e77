using JiraAuthServer.Core.Authorization;
using JiraAuthServer.Core.Grants;
using JiraAuthServer.Web.Models;

namespace JiraAuthServer.Web.Controllers;

/// <summary>The status code and page model of each callback outcome; the words are in <c>Localization/PageTexts*.resx</c>.</summary>
public static class CallbackPages
{
    public static int StatusCodeOf(CallbackFailure failure) => failure switch
    {
        CallbackFailure.Declined => StatusCodes.Status403Forbidden,
        CallbackFailure.NoJiraSite or CallbackFailure.SiteNotAccessible => StatusCodes.Status403Forbidden,
        CallbackFailure.AtlassianError or CallbackFailure.AtlassianUnavailable => StatusCodes.Status502BadGateway,
        CallbackFailure.StoreUnavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>A stable code for support and the bot's administrator, shown small on the page.</summary>
    public static string ReasonCode(CallbackFailure failure) => failure switch
    {
        CallbackFailure.Declined => "declined",
        CallbackFailure.AtlassianError => "atlassian_error",
        CallbackFailure.MissingCode => "missing_code",
        CallbackFailure.InvalidState => "invalid_link",
        CallbackFailure.StateExpiredOrUsed => "link_expired",
        CallbackFailure.CodeRejected => "code_rejected",
        CallbackFailure.AtlassianUnavailable => "atlassian_unavailable",
        CallbackFailure.NoJiraSite => "no_jira_site",
        CallbackFailure.SiteNotAccessible => "wrong_site",
        CallbackFailure.StoreUnavailable => "store_unavailable",
        _ => "unknown",
    };

    public static FailurePage Failure(CallbackFailure failure, string? configuredSiteUrl, string? botUsername) =>
        new(failure, ReasonCode(failure), configuredSiteUrl, TelegramLink(botUsername));

    public static SuccessPage Success(JiraIdentity identity, JiraSite? site, string? botUsername)
    {
        var name = identity.DisplayName ?? identity.Email ?? identity.AccountId;
        var email = identity.Email == name ? null : identity.Email;
        return new SuccessPage(name, email, site?.Url, site?.Name, TelegramLink(botUsername));
    }

    /// <summary><c>https://t.me/&lt;bot&gt;</c> from <c>TELEGRAM_BOT_USERNAME</c> (with or without the @), or null when unset.</summary>
    public static string? TelegramLink(string? botUsername)
    {
        var name = botUsername?.Trim().TrimStart('@');
        return string.IsNullOrEmpty(name) ? null : "https://t.me/" + Uri.EscapeDataString(name);
    }
}
