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
        app.UseMiddleware<ApiKeyLockoutMiddleware>();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/swagger"), swagger => swagger
            .UseSwagger()
            .UseSwaggerUI(options => options.DocumentTitle = "Jira Authorization Server"));
        app.MapControllers();
        app.MapServerHealthChecks();
        app.MapMetrics()
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get]))
            .WithMetadata(new DocumentedEndpoint("Prometheus text: requests, authorizations, refreshes, stored grants.", "text/plain", typeof(string), [StatusCodes.Status200OK]))
            .RequireAuthorization(policy => policy
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser());
    }
}
