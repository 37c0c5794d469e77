using JiraAuthServer.Core.Grants;
using JiraAuthServer.Core.Tokens;
using JiraAuthServer.Web.Diagnostics;
using JiraAuthServer.Web.Models;
using JiraAuthServer.Web.Security;
using Microsoft.AspNetCore.Mvc;

namespace JiraAuthServer.Web.Controllers;

/// <summary>Maps a <see cref="TokenLookup"/> to the HTTP answers of <c>/auth/token</c> and <c>/auth/status</c>.</summary>
public static class TokenLookupResults
{
    /// <summary>
    /// A key is fixed by a restart, not within seconds; but behind a load balancer during a key roll-out, the next try
    /// may reach an instance that has the key.
    /// </summary>
    private static readonly TimeSpan UnreadableRetryAfter = TimeSpan.FromSeconds(10);

    public static IActionResult ForToken(ControllerBase controller, TokenLookup lookup)
    {
        RequestOutcome.Record(controller.HttpContext, lookup.Status);
        return TokenAnswer(controller, lookup);
    }

    public static IActionResult ForStatus(ControllerBase controller, TokenLookup lookup)
    {
        RequestOutcome.Record(controller.HttpContext, lookup.Status);
        return StatusAnswer(controller, lookup);
    }

    private static IActionResult TokenAnswer(ControllerBase controller, TokenLookup lookup) => lookup.Status switch
    {
        TokenLookupStatus.Served => FastJsonResult.Of(new TokenResponse
        {
            AccessToken = lookup.AccessToken!,
            JiraAccountId = lookup.Grant!.JiraAccountId,
            JiraEmail = lookup.Grant.JiraEmail,
            JiraCloudId = lookup.Grant.JiraCloudId,
            ExpiresAt = IsoTime.Format(lookup.Grant.ExpiresAt),
            JiraSiteUrl = lookup.Grant.JiraSiteUrl,
            JiraSiteName = lookup.Grant.JiraSiteName,
            ReauthorizationDueAt = DueAt(lookup.Grant),
        }),
        TokenLookupStatus.NotFound => controller.NotFound(new ErrorResponse(ApiMessages.NotAuthenticated)),
        TokenLookupStatus.ReauthorizationRequired => controller.Unauthorized(new ErrorResponse(ApiMessages.TokenExpired, ReauthorizationRequired: true)),
        TokenLookupStatus.AtlassianUnavailable => Unavailable(controller, ApiMessages.AtlassianUnreachable, lookup.RetryAfter),
        TokenLookupStatus.Unreadable => Unavailable(controller, ApiMessages.GrantUnreadable, UnreadableRetryAfter),
        _ => Unavailable(controller, ApiMessages.StoreUnavailable, RetryAfter.StoreUnavailable),
    };

    private static IActionResult StatusAnswer(ControllerBase controller, TokenLookup lookup) => lookup.Status switch
    {
        TokenLookupStatus.Served => FastJsonResult.Of(Connected(lookup.Grant!, message: null)),
        TokenLookupStatus.AtlassianUnavailable => controller.Ok(Connected(lookup.Grant!, ApiMessages.AtlassianUnreachable)),
        TokenLookupStatus.NotFound => controller.Ok(new StatusResponse { Authenticated = false, Message = ApiMessages.NotAuthenticated }),
        TokenLookupStatus.ReauthorizationRequired => controller.Ok(new StatusResponse
        {
            Authenticated = false,
            Message = ApiMessages.AuthorizeAgain,
            ReauthorizationRequired = true,
        }),
        TokenLookupStatus.Unreadable => Unavailable(controller, ApiMessages.GrantUnreadable, UnreadableRetryAfter),
        _ => Unavailable(controller, ApiMessages.StoreUnavailable, RetryAfter.StoreUnavailable),
    };

    private static StatusResponse Connected(StoredGrant grant, string? message) => new()
    {
        Authenticated = true,
        ExpiresAt = IsoTime.Format(grant.ExpiresAt),
        Scope = grant.Scope,
        Message = message,
        ReauthorizationDueAt = DueAt(grant),
    };

    private static string? DueAt(StoredGrant grant) => grant.ReauthorizationDueAt is { } dueAt ? IsoTime.Format(dueAt) : null;

    private static ObjectResult Unavailable(ControllerBase controller, string error, TimeSpan? retryAfter)
    {
        RetryAfter.Set(controller.Response, retryAfter ?? TimeSpan.FromSeconds(30));
        return controller.StatusCode(StatusCodes.Status503ServiceUnavailable, new ErrorResponse(error));
    }
}
