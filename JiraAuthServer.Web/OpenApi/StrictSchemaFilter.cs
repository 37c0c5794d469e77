using System.Reflection;
using Microsoft.OpenApi;
using Newtonsoft.Json;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace JiraAuthServer.Web.OpenApi;

/// <summary>
/// The server's JSON bodies have exactly the properties their record declares: none other is allowed, and those whose
/// C# type is not nullable are required and never null. A client generated from the document, or a validator, then holds the server
/// to what it really sends.
/// </summary>
public sealed class StrictSchemaFilter : ISchemaFilter
{
    private static readonly NullabilityInfoContext Nullability = new();

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (schema is not OpenApiSchema model || model.Properties is null || context.Type.Namespace != typeof(Models.ErrorResponse).Namespace)
        {
            return;
        }

        model.AdditionalPropertiesAllowed = false;
        model.Required ??= new HashSet<string>();
        foreach (var property in context.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = property.GetCustomAttribute<JsonPropertyAttribute>()?.PropertyName;
            if (name is not null && model.Properties.ContainsKey(name) && Nullability.Create(property).ReadState == NullabilityState.NotNull)
            {
                model.Required.Add(name);
                if (model.Properties[name] is OpenApiSchema { Type: { } type } value)
                {
                    value.Type = type & ~JsonSchemaType.Null;
                }
            }
        }
    }
}
