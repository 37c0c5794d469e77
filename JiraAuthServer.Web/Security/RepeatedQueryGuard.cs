namespace JiraAuthServer.Web.Security;

/// <summary>
/// Refuses a query string that names a parameter twice (<c>?telegram_user_id=1&amp;telegram_user_id=2</c>,
/// <c>?state=a&amp;state=b</c>): model binding would silently use the first value, and proxies or logs may read
/// another one. No client of this server sends a parameter twice. Jira calls (<c>/jira/...</c>) are exempt: their
/// query is not read here but passed to Jira as sent, and Jira takes repeated parameters (<c>?accountId=a&amp;accountId=b</c>).
/// </summary>
public sealed class RepeatedQueryGuard(RequestDelegate next)
{
    public const string Error = "A query parameter is repeated";

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/jira"))
        {
            await next(context);
            return;
        }

        foreach (var parameter in context.Request.Query)
        {
            if (parameter.Value.Count > 1)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsJsonAsync(new { error = Error }, context.RequestAborted);
                return;
            }
        }

        await next(context);
    }
}
