using Microsoft.AspNetCore.Authentication;
using System.Security.Claims;
using AssetLedger.Application.Ports;
using AssetLedger.Application.Users;
using AssetLedger.Domain.Common;
using Microsoft.AspNetCore.Authentication.JwtBearer;
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
    public static void Configure(JwtBearerOptions o, JwtKeys keys)
    {
        o.MapInboundClaims = false;
        o.TokenValidationParameters = TokenService.Validation(keys);
        o.TokenValidationParameters.RoleClaimType = "role";
        o.Events = new JwtBearerEvents
        {
            OnTokenValidated = async context =>
            {
                var services = context.HttpContext.RequestServices;
                var ct = context.HttpContext.RequestAborted;
                var principal = context.Principal!;
                var login = principal.FindFirstValue("sub");
                var participantId = principal.FindFirstValue(TokenService.ParticipantClaim);
                if (login is null || participantId is null) { context.Fail("The token names no user or participant."); return; }
                // A client that hangs up while its user and participant are read is no failure of the registry: no error is logged for it.
                AssetLedger.Domain.Users.UserState user;
                ParticipantInfo? participant;
                try
                {
                    using var stage = Application.Diagnostics.Stages.Start(Application.Diagnostics.Stages.Session);
                    (user, participant) = await CallerStreams.Read(services.GetRequiredService<IEventStore>(), services.GetRequiredService<IParticipantDirectory>(),
                        login, new ParticipantId(participantId), ct);
                    if (!user.Exists || user.Disabled || user.Participant.Value != participantId) { context.Fail("The token's user is disabled or no longer exists."); return; }
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    context.Fail("The client closed the request.");
                    return;
                }
                if (participant is null) { context.Fail("The token's participant no longer exists."); return; }
                // The two streams just read give the current session version: no further query, no cache, so no
                // instance accepts a token that a reset, a disable, a role revocation or a suspension made stale.
                if (principal.FindFirstValue(TokenService.SessionClaim) != UserSessions.VersionOf(user, participant))
                {
                    context.Fail("The session ended (the password was reset, the user disabled, a role revoked or the participant suspended); log in again.");
                    return;
                }
                var claims = principal.Claims.Where(c => c.Type is not ("role" or TokenService.UnverifiedClaim)).ToList();
                claims.AddRange(participant.Roles.Select(r => new Claim("role", r.ToString())));
                if (!participant.Verified) claims.Add(new Claim(TokenService.UnverifiedClaim, "true"));
                context.Principal = new ClaimsPrincipal(new ClaimsIdentity(claims, JwtBearerDefaults.AuthenticationScheme, "sub", "role"));
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
