using System.Security.Claims;
using AssetLedger.Api.Problems;
using Microsoft.AspNetCore.Authorization;
using P = AssetLedger.Api.Problems.Problems;

namespace AssetLedger.Api.Security;

/// <summary>
/// An applicant the operator has not verified may log in, but reads only what concerns its own application: every
/// endpoint that needs a login answers it 403 (<see cref="AccessErrors.ApplicantUnverified"/>) unless marked
/// <see cref="ApplicantGateExtensions.OpenToApplicants"/>; those that take a participant id check it is the applicant's
/// own. Public endpoints stay public. Runs after authentication and inside the access audit (which records its
/// refusals), before any role check, so the refusal says why.
/// </summary>
public sealed class ApplicantGate(RequestDelegate next)
{
    /// <summary>Marks an endpoint an unverified applicant may call (it still sees only its own records).</summary>
    public sealed class OpenToApplicantsMetadata;

    public static bool IsUnverifiedApplicant(ClaimsPrincipal user) => user.HasClaim(TokenService.UnverifiedClaim, "true");

    /// <summary>Needs a login, and is not marked open to applicants.</summary>
    public static bool Closed(Endpoint endpoint) =>
        (endpoint.Metadata.GetMetadata<IAuthorizeData>() is not null || endpoint.Metadata.GetMetadata<AuthorizationPolicy>() is not null)
        && endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null
        && endpoint.Metadata.GetMetadata<OpenToApplicantsMetadata>() is null;

    public async Task InvokeAsync(HttpContext http)
    {
        var endpoint = http.GetEndpoint();
        if (endpoint is not null && IsUnverifiedApplicant(http.User) && Closed(endpoint))
        {
            await P.From(AccessErrors.ApplicantUnverified).ExecuteAsync(http);
            return;
        }
        await next(http);
    }
}

public static class ApplicantGateExtensions
{
    /// <summary>An unverified applicant may call this endpoint (see <see cref="ApplicantGate"/>).</summary>
    public static TBuilder OpenToApplicants<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ApplicantGate.OpenToApplicantsMetadata());
}
