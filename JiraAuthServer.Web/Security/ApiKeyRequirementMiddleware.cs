using JiraAuthServer.Web.Models;

namespace JiraAuthServer.Web.Security;

/// <summary>Answers 401 to a request for an endpoint marked <see cref="RequiresApiKeyAttribute"/> that did not bring the key.</summary>
public sealed class ApiKeyRequirementMiddleware(RequestDelegate next, ApiKeyCheck check)
{
    public Task InvokeAsync(HttpContext context)
    {
        var requirement = context.GetEndpoint()?.Metadata.GetMetadata<RequiresApiKeyAttribute>();
        if (requirement is null
            || ApiKeyCheck.IsAuthenticated(context)
            || (requirement.UnlessStartIsOpen && !check.StartRequiresApiKey))
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = ApiKeyCheck.SchemeName;
        return context.Response.WriteAsJsonAsync(new { error = ApiMessages.Unauthorized }, context.RequestAborted);
    }
}
