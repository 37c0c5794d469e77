using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc.Filters;

namespace JiraAuthServer.Web.Security;

/// <summary>
/// Headers for the pages people see: no framing, no sniffing, no referrer (the callback URL carries the code),
/// no caching, and a CSP that allows only our stylesheet and scripts carrying this response's nonce.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class PageSecurityHeadersAttribute : ActionFilterAttribute
{
    public const string NonceItemKey = "csp-nonce";

    public override void OnActionExecuting(ActionExecutingContext context)
    {
        // Hex, so Razor's attribute encoding can never change the value (base64's + would become &#x2B;).
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        context.HttpContext.Items[NonceItemKey] = nonce;
        var headers = context.HttpContext.Response.Headers;
        headers.ContentSecurityPolicy =
            $"default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'nonce-{nonce}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        headers.CacheControl = "no-store";
        headers.Pragma = "no-cache";
        base.OnActionExecuting(context);
    }
}
