using JiraAuthServer.Web.Models;
using JiraAuthServer.Web.Security;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace JiraAuthServer.Web.OpenApi;

/// <summary>
/// The answers an operation gets from the pipeline rather than from its own code, derived from its metadata so a new
/// endpoint is documented with them for free: the API key (Bearer lock and 401) where authorization is required, 429
/// where a rate limit applies, and on every operation the answers of the middleware every request passes (the key
/// lockout's 429, the repeated-parameter 400).
/// </summary>
public static class ResponseConventions
{
    public static void Apply(OpenApiOperation operation, IReadOnlyList<object> metadata, ISchemaGenerator schemas, SchemaRepository repository, OpenApiDocument document)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(metadata);
        operation.Responses ??= new OpenApiResponses();
        if (metadata.OfType<AnswerPassedOnAttribute>().Any() && operation.Responses.TryGetValue("200", out var passedOn) && passedOn is OpenApiResponse answer)
        {
            answer.Content = new Dictionary<string, OpenApiMediaType> { ["*/*"] = new() };
        }
        if (RequiresApiKey(metadata))
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyCheck.SchemeName, document)] = [] });
            AddError(operation, StatusCodes.Status401Unauthorized, "No API key, or a wrong one (`Authorization: Bearer <INTERNAL_API_KEY>`).", schemas, repository);
        }

        var tooMany = metadata.OfType<EnableRateLimitingAttribute>().Any()
            ? "Too many requests from this address (`Retry-After` says when to try again), or too many wrong API keys from it."
            : "Too many wrong API keys from this address: its requests that carry a key are refused until `Retry-After`.";
        AddError(operation, StatusCodes.Status429TooManyRequests, tooMany, schemas, repository, retryAfter: true);
        AddError(operation, StatusCodes.Status400BadRequest, "A malformed request, or a query parameter given twice.", schemas, repository);
    }

    /// <summary>Marked <see cref="RequiresApiKeyAttribute"/> (controllers, and <c>/metrics</c> by its metadata).</summary>
    public static bool RequiresApiKey(IReadOnlyList<object> metadata) => metadata.OfType<RequiresApiKeyAttribute>().Any();

    private static void AddError(OpenApiOperation operation, int status, string description, ISchemaGenerator schemas, SchemaRepository repository, bool retryAfter = false)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.TryGetValue(key, out var existing) && existing is OpenApiResponse own && own.Content?.ContainsKey("application/json") == true)
        {
            return;
        }

        var response = existing as OpenApiResponse ?? new OpenApiResponse { Description = description };
        response.Content ??= new Dictionary<string, OpenApiMediaType>();
        response.Content["application/json"] = new OpenApiMediaType { Schema = schemas.GenerateSchema(typeof(ErrorResponse), repository) };
        if (retryAfter)
        {
            response.Headers ??= new Dictionary<string, IOpenApiHeader>();
            response.Headers["Retry-After"] = new OpenApiHeader { Description = "Seconds to wait.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } };
        }

        operation.Responses[key] = response;
    }
}
