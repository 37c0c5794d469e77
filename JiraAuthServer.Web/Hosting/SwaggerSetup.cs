using System.Reflection;
using JiraAuthServer.Web.OpenApi;
using JiraAuthServer.Web.Security;
using Microsoft.OpenApi;

namespace JiraAuthServer.Web.Hosting;

public static class SwaggerSetup
{
    public static IServiceCollection AddServerSwagger(this IServiceCollection services)
    {
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "Jira Authorization Server",
                Version = "v1",
                Description = "OAuth 2.0 (3LO) broker between a Telegram bot and Jira Cloud. Endpoints marked with a lock need "
                    + "`Authorization: Bearer <INTERNAL_API_KEY>`: press Authorize and paste the key.",
            });
            options.AddSecurityDefinition(ApiKeyCheck.SchemeName, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "The server's INTERNAL_API_KEY.",
            });
            options.OperationFilter<ResponseConventionsFilter>();
            options.DocumentFilter<EndpointsOutsideControllersFilter>();
            options.SchemaFilter<StrictSchemaFilter>();
            var xml = Path.Combine(AppContext.BaseDirectory, Assembly.GetExecutingAssembly().GetName().Name + ".xml");
            options.IncludeXmlComments(xml);
        });
        services.AddSwaggerGenNewtonsoftSupport();
        return services;
    }
}
