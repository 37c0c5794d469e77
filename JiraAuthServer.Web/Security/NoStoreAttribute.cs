using Microsoft.AspNetCore.Mvc.Filters;

namespace JiraAuthServer.Web.Security;

/// <summary>Responses that may carry a token or a personal status must never sit in a cache.</summary>
/// <remarks>A plain synchronous result filter: it only sets two headers, so it needs no async action-filter wrapping.</remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class NoStoreAttribute : Attribute, IResultFilter
{
    public void OnResultExecuting(ResultExecutingContext context)
    {
        context.HttpContext.Response.Headers.CacheControl = "no-store";
        context.HttpContext.Response.Headers.Pragma = "no-cache";
    }

    public void OnResultExecuted(ResultExecutedContext context)
    {
    }
}
