using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using AssetLedger.Api.Contracts;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace AssetLedger.Api.Hosting;

/// <summary>
/// Publishes each contract's <see cref="OneOfAttribute"/> as an <c>enum</c> (on the member, or on a list's items).
/// Lengths, patterns and ranges come from the DataAnnotations on the contracts, which name the Domain's constants.
/// </summary>
sealed class OneOfSchemaFilter : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema s || s.Properties is null) return;
        foreach (var property in context.Type.GetProperties())
        {
            if (property.GetCustomAttribute<OneOfAttribute>() is not { } oneOf) continue;
            var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            if (s.Properties.TryGetValue(name, out var member) && member is OpenApiSchema m) OpenApiLimits.SetEnum(m, oneOf);
        }
    }
}

sealed class OneOfParameterFilter : IParameterFilter
{
    public void Apply(IOpenApiParameter parameter, ParameterFilterContext context)
    {
        var oneOf = context.ParameterInfo?.GetCustomAttribute<OneOfAttribute>() ?? context.PropertyInfo?.GetCustomAttribute<OneOfAttribute>();
        if (oneOf is not null && parameter.Schema is OpenApiSchema s) OpenApiLimits.SetEnum(s, oneOf);
    }
}

static class OpenApiLimits
{
    public static void SetEnum(OpenApiSchema schema, OneOfAttribute oneOf)
    {
        var target = schema.Type?.HasFlag(JsonSchemaType.Array) == true && schema.Items is OpenApiSchema items ? items : schema;
        target.Enum = oneOf.Names.Select(n => (JsonNode)JsonValue.Create(n)!).ToList();
    }
}
