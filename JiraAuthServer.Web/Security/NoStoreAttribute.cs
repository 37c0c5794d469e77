using Microsoft.AspNetCore.Mvc.Filters;

namespace JiraAuthServer.Web.Security;

/// <summary>Responses that may carry a token or a personal status must never sit in a cache.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class NoStoreAttribute : ActionFilterAttribute
{
    public override void OnResultExecuting(ResultExecutingContext context)
    {
        context.HttpContext.Response.Headers.CacheControl = "no-store";
        context.HttpContext.Response.Headers.Pragma = "no-cache";
        base.OnResultExecuting(context);
    }
}
