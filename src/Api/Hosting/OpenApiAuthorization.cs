using AssetLedger.Api.Problems;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace AssetLedger.Api.Hosting;

/// <summary>Who may call an endpoint, read from the same metadata the authorization middleware obeys.</summary>
/// <param name="ApplicantsRefused">An unverified applicant is refused here with 403 by <c>ApplicantGate</c>.</param>
public sealed record EndpointAccess(bool Secured, IReadOnlyList<string> Roles, bool ApplicantsRefused)
{
    public static EndpointAccess Of(IEnumerable<object> metadata)
    {
        var all = metadata.ToList();
        // The authorization middleware lets an endpoint with IAllowAnonymous through, whatever its group requires.
        if (all.OfType<IAllowAnonymous>().Any()) return new(false, [], false);
        var roles = all.OfType<IAuthorizeData>().SelectMany(a => a.Roles?.Split(',', StringSplitOptions.TrimEntries) ?? [])
            .Concat(all.OfType<AuthorizationPolicy>().SelectMany(p => p.Requirements.OfType<RolesAuthorizationRequirement>()).SelectMany(r => r.AllowedRoles))
            .Distinct().Order().ToList();
        var secured = all.OfType<IAuthorizeData>().Any() || all.OfType<AuthorizationPolicy>().Any();
        return new(secured, roles, secured && !all.OfType<Security.ApplicantGate.OpenToApplicantsMetadata>().Any());
    }
}

/// <summary>
/// Bearer security and the 401 on exactly the endpoints that need a token, 403 on those a role or the applicant gate
/// guards, and 413 on
/// every operation with a body (see <c>BodyLimits</c>); anonymous endpoints declare neither security nor 401.
/// </summary>
sealed class AuthorizationOperationFilter : IOperationFilter
{
    public const string BearerScheme = "Bearer";
    /// <summary>Inbound notices: no token, the sending participant's Standard Webhooks signature (<c>SignedNotices</c>).</summary>
    public const string NoticeScheme = "StandardWebhooks";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var access = EndpointAccess.Of(context.ApiDescription.ActionDescriptor.EndpointMetadata);
        operation.Responses ??= [];
        if (operation.RequestBody is not null) Declare(operation, context, StatusCodes.Status413PayloadTooLarge);
        if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<Security.SignedNotices.Metadata>().Any())
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(NoticeScheme, context.Document)] = [] }];
            Declare(operation, context, StatusCodes.Status401Unauthorized);
            return;
        }
        if (!access.Secured) return;
        operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];
        Declare(operation, context, StatusCodes.Status401Unauthorized);
        if (access.Roles.Count > 0 || access.ApplicantsRefused) Declare(operation, context, StatusCodes.Status403Forbidden);
        if (access.Roles.Count > 0)
        {
            operation.Description = $"{operation.Description}\n\nRoles: {string.Join(", ", access.Roles)}.".TrimStart();
        }
    }

    public static void Declare(OpenApiOperation operation, OperationFilterContext context, int status)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.ContainsKey(key)) return;
        operation.Responses[key] = new OpenApiResponse
        {
            Description = Problems.Problems.TitleOf(status),
            Content = new Dictionary<string, IOpenApiMediaType>
            {
                ["application/problem+json"] = new OpenApiMediaType { Schema = new OpenApiSchemaReference("ProblemDetails", context.Document) },
            },
        };
    }
}
