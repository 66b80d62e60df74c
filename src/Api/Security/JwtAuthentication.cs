using Microsoft.AspNetCore.Authentication;
using System.Security.Claims;
using AssetLedger.Application.Ports;
using AssetLedger.Application.Users;
using AssetLedger.Domain.Common;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using AssetLedger.Api.Problems;
using P = AssetLedger.Api.Problems.Problems;

namespace AssetLedger.Api.Security;

/// <summary>
/// Bearer tokens (ES256 JWT) on every endpoint but health, token and OpenAPI. On each request the user and the
/// participant are read again from their streams: the roles come from there, and a token whose session version is no
/// longer the user's (a reset, a disable, a role revocation, a suspension since it was issued) is refused.
/// </summary>
public static class JwtAuthentication
{
    public static void Configure(JwtBearerOptions o, JwtKeys keys, int validatedTokens = ValidatedTokens.DefaultCapacity)
    {
        // A token's signature is checked once, then kept until it expires; its session is still checked on every request below.
        o.TokenHandlers.Clear();
        o.TokenHandlers.Add(new ValidatedTokens(new JsonWebTokenHandler { MapInboundClaims = false }, validatedTokens));
        o.MapInboundClaims = false;
        o.TokenValidationParameters = TokenService.Validation(keys);
        o.TokenValidationParameters.RoleClaimType = "role";
        o.Events = new JwtBearerEvents
        {
            OnTokenValidated = async context =>
            {
                var ct = context.HttpContext.RequestAborted;
                // A client that hangs up while its user and participant are read is no failure of the registry: no error is logged for it.
                try
                {
                    var (principal, failure) = await Sessions.Refresh(context.Principal!, JwtBearerDefaults.AuthenticationScheme, context.HttpContext.RequestServices, ct);
                    if (failure is not null) context.Fail(failure);
                    else context.Principal = principal;
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    context.Fail("The client closed the request.");
                }
            },
            OnChallenge = async context =>
            {
                context.HandleResponse();
                var detail = context.AuthenticateFailure switch
                {
                    null => "Send 'Authorization: Bearer <token>'; get a token from POST /api/v1/auth/token.",
                    SecurityTokenExpiredException => "The access token has expired; get a new one with your refresh token at POST /api/v1/auth/token.",
                    SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => "The access token's signature is not valid for this registry.",
                    SecurityTokenInvalidAlgorithmException => "The access token is not signed with ES256; unsigned ('alg: none') and other algorithms are refused.",
                    SecurityTokenMalformedException or ArgumentException =>
                        "The access token is not a well-formed JWT (three base64url parts separated by dots); get one from POST /api/v1/auth/token.",
                    SecurityTokenException e => $"The access token is not valid: {e.GetType().Name.Replace("SecurityToken", "").Replace("Exception", "")}.",
                    // Our own words, from OnTokenValidated's context.Fail.
                    AuthenticationFailureException e => e.Message,
                    // Other failures carry the library's own words (IDX… codes, internal names): never shown to a client.
                    _ => "The access token is not valid for this registry; get a new one from POST /api/v1/auth/token.",
                };
                await P.From(AccessErrors.AuthenticationRequired(detail)).ExecuteAsync(context.HttpContext);
            },
            OnForbidden = async context =>
                await P.From(AccessErrors.RolesForbid).ExecuteAsync(context.HttpContext),
        };
    }
}
