using JiraAuthServer.Web.Diagnostics;
using JiraAuthServer.Web.Health;
using JiraAuthServer.Web.Localization;
using JiraAuthServer.Web.OpenApi;
using JiraAuthServer.Web.Security;
using Prometheus;

namespace JiraAuthServer.Web.Hosting;

public static class WebPipeline
{
    public static void UseServerPipeline(this WebApplication app)
    {
        // The API key is checked by ApiKeyMiddleware, not by ASP.NET's authentication and authorization. MVC registers
        // their services anyway, and WebApplication then puts both middlewares in front of every request unless the
        // pipeline says it has them (these are the keys UseAuthentication/UseAuthorization set): they would only cost
        // time. Were the keys ever renamed, the two middlewares would come back, doing nothing but costing that time.
        var properties = ((IApplicationBuilder)app).Properties;
        properties["__AuthenticationMiddlewareSet"] = true;
        properties["__AuthorizationMiddlewareSet"] = true;
        app.UseTrustedProxies();
        app.UseJsonErrors();
        app.UseMiddleware<RequestOutcomeLogging>();
        app.UseRequiredHttps();
        app.UseMiddleware<RepeatedQueryGuard>();

        // Files and API documents live under these paths only; other requests skip their lookups.
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/css") || context.Request.Path == "/favicon.svg", files => files.UseStaticFiles(ServerStaticFiles.Options()));
        app.UsePageLocalization();
        app.UseRouting();
        app.UseCors();
        app.UseServerMetrics();
        app.UseMiddleware<ApiKeyMiddleware>();
        app.UseRateLimiter();
        app.UseMiddleware<ApiKeyRequirementMiddleware>();
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/swagger"), swagger => swagger
            .UseSwagger()
            .UseSwaggerUI(options => options.DocumentTitle = "Jira Authorization Server"));
        app.MapControllers();
        app.MapServerHealthChecks();
        app.MapMetrics().WithMetadata(
            new HttpMethodMetadata([HttpMethods.Get]),
            new RequiresApiKeyAttribute(),
            new DocumentedEndpoint("Prometheus text: requests, authorizations, refreshes, stored grants.", "text/plain", typeof(string), [StatusCodes.Status200OK]));
    }
}
