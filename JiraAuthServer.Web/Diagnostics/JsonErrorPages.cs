using JiraAuthServer.Core.Storage;
using JiraAuthServer.Web.Models;
using JiraAuthServer.Web.Security;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;

namespace JiraAuthServer.Web.Diagnostics;

/// <summary>
/// The one place unexpected failures and bare status codes become JSON with a stable <c>error</c> field; never a
/// stack trace.
/// </summary>
public static partial class JsonErrorPages
{
    public static void UseJsonErrors(this WebApplication app)
    {
        app.UseExceptionHandler(errorApp => errorApp.Run(async context =>
        {
            var failure = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            if (failure is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
            {
                return;
            }

            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(JsonErrorPages));
            LogUnhandled(logger, failure, context.Request.Path);
            if (failure is TokenStoreException)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                RetryAfter.Set(context.Response, RetryAfter.StoreUnavailable);
                await context.Response.WriteAsJsonAsync(new { error = ApiMessages.StoreUnavailable });
                return;
            }

            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await context.Response.WriteAsJsonAsync(new { error = "Internal server error" });
        }));
        app.UseStatusCodePages(async statusContext =>
        {
            var response = statusContext.HttpContext.Response;
            response.ContentType = "application/json";
            var reason = ReasonPhrases.GetReasonPhrase(response.StatusCode);
            await response.WriteAsJsonAsync(new { error = reason.Length == 0 ? "Error" : reason });
        });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception on {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception? exception, PathString path);
}
