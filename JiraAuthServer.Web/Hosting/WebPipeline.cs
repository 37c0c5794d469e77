using JiraAuthServer.Web.Diagnostics;
using JiraAuthServer.Web.Security;
using Prometheus;

namespace JiraAuthServer.Web.Hosting;

public static class WebPipeline
{
    public static void UseServerPipeline(this WebApplication app)
    {
        app.UseJsonErrors();
        app.UseMiddleware<RequestOutcomeLogging>();
        // Files and API documents live under these two paths only; other requests skip their lookups.
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/css"), files => files.UseStaticFiles());
        app.UseRouting();
        app.UseServerMetrics();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/swagger"), swagger => swagger
            .UseSwagger()
            .UseSwaggerUI(options => options.DocumentTitle = "Jira Authorization Server"));
        app.MapControllers();
        app.MapMetrics().RequireAuthorization(policy => policy
            .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser());
    }
}
