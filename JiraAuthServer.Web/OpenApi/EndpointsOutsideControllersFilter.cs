using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace JiraAuthServer.Web.OpenApi;

/// <summary>Adds the endpoints that carry a <see cref="DocumentedEndpoint"/> (health checks, metrics) to the document.</summary>
public sealed class EndpointsOutsideControllersFilter(EndpointDataSource endpoints) : IDocumentFilter
{
    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(swaggerDoc);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var endpoint in endpoints.Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<DocumentedEndpoint>() is not { } documented)
            {
                continue;
            }

            var operation = new OpenApiOperation { Summary = documented.Summary, Responses = new OpenApiResponses() };
            var body = context.SchemaGenerator.GenerateSchema(documented.BodyType, context.SchemaRepository);
            foreach (var status in documented.StatusCodes)
            {
                operation.Responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse
                {
                    Description = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status),
                    Content = new Dictionary<string, OpenApiMediaType> { [documented.ContentType] = new() { Schema = body } },
                };
            }

            ResponseConventions.Apply(operation, [.. endpoint.Metadata], context.SchemaGenerator, context.SchemaRepository, swaggerDoc);
            var path = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            var item = new OpenApiPathItem();
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [HttpMethods.Get])
            {
                item.AddOperation(HttpMethod.Parse(method), operation);
            }

            swaggerDoc.Paths[path] = item;
        }
    }
}
