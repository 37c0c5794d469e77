using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace JiraAuthServer.Web.OpenApi;

/// <summary>Applies <see cref="ResponseConventions"/> to every controller action.</summary>
public sealed class ResponseConventionsFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context) =>
        ResponseConventions.Apply(operation, [.. context.ApiDescription.ActionDescriptor.EndpointMetadata], context.SchemaGenerator, context.SchemaRepository, context.Document);
}
