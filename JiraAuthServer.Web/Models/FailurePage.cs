using JiraAuthServer.Core.Authorization;

namespace JiraAuthServer.Web.Models;

/// <summary>
/// What the failure page shows: why (its words come from the resources, per <see cref="Failure"/>), the site the
/// bot works with when that matters, and a way back to the bot.
/// </summary>
public sealed record FailurePage(CallbackFailure Failure, string ReasonCode, string? ConfiguredSiteUrl, string? TelegramLink);
