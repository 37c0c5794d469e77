using JiraAuthServer.Web.JiraProxy;
using JiraAuthServer.Web.Models;
using Microsoft.AspNetCore.Mvc;
using Yarp.ReverseProxy.Forwarder;

namespace JiraAuthServer.Web.Controllers;

/// <summary>Maps how a Jira call ended to what is left to write: nothing when Jira's answer went through.</summary>
public static class JiraForwardResults
{
    public static IActionResult For(ControllerBase controller, JiraForwardResult result)
    {
        if (result.Renewal is { } renewal)
        {
            return TokenLookupResults.ForToken(controller, renewal);
        }

        if (result.Error == ForwarderError.None || controller.Response.HasStarted)
        {
            // Jira's answer was passed on, or a failure in the middle of it: the connection was cut, as a body cannot
            // be taken back.
            return new EmptyResult();
        }

        controller.Response.Headers.Clear();
        return result.Error switch
        {
            ForwarderError.RequestTimedOut => controller.StatusCode(StatusCodes.Status504GatewayTimeout, new ErrorResponse(ApiMessages.JiraTimedOut)),
            ForwarderError.RequestBodyClient or ForwarderError.RequestBodyCanceled or ForwarderError.RequestCanceled =>
                controller.BadRequest(new ErrorResponse(ApiMessages.BotBodyUnreadable)),
            _ => controller.StatusCode(StatusCodes.Status502BadGateway, new ErrorResponse(ApiMessages.JiraUnreachable)),
        };
    }
}
