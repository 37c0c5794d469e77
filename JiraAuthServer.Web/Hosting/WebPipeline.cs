using JiraAuthServer.Web.Diagnostics;
using JiraAuthServer.Web.Localization;
using JiraAuthServer.Web.Security;
using Prometheus;

namespace JiraAuthServer.Web.Hosting;

public static class WebPipeline
{
    public static void UseServerPipeline(this WebApplication app)
    {
        app.UseJsonErrors();
        app.UseMiddleware<RequestOutcomeLogging>();
        app.UseStaticFiles();
        app.UsePageLocalization();
        app.UseRouting();
        app.UseServerMetrics();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseSwagger();
        app.UseSwaggerUI(options => options.DocumentTitle = "Jira Authorization Server");
        app.MapControllers();
        app.MapMetrics().RequireAuthorization(policy => policy
            .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser());
    }
}
