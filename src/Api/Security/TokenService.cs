using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using AssetLedger.Application.Ports;
using Microsoft.IdentityModel.Tokens;

namespace AssetLedger.Api.Security;

public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn, string RefreshToken, string Login, string ParticipantId, IReadOnlyList<string> Roles);

/// <summary>
/// Short-lived ES256 access tokens: subject = login, plus the participant, its roles at issue time and the session
/// version (<see cref="SessionClaim"/>), which validation compares with the user's current one on every request.
/// </summary>
public sealed class TokenService(JwtKeys keys, IClock clock)
{
    public static readonly TimeSpan AccessLifetime = TimeSpan.FromMinutes(15);
    public const string ParticipantClaim = "participant";
    public const string SessionClaim = "sv";
    /// <summary>Added on validation (never issued) when the participant is an applicant the operator has not verified.</summary>
    public const string UnverifiedClaim = "unverified";

    public string Issue(string login, ParticipantInfo participant, string session)
    {
        var now = clock.UtcNow;
        var claims = new List<Claim>
        {
            new(JwtRegisteredClaimNames.Sub, login),
            new(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")),
            new(ParticipantClaim, participant.Id.Value),
            new(SessionClaim, session),
        };
        claims.AddRange(participant.Roles.Select(r => new Claim("role", r.ToString())));
        var token = new JwtSecurityToken(JwtKeys.Issuer, JwtKeys.Audience, claims, now.UtcDateTime, (now + AccessLifetime).UtcDateTime, keys.Credentials);
        return new JwtSecurityTokenHandler().WriteToken(token);
    }

    public static TokenValidationParameters Validation(JwtKeys keys) => new()
    {
        ValidIssuer = JwtKeys.Issuer,
        ValidAudience = JwtKeys.Audience,
        IssuerSigningKey = keys.SecurityKey,
        ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateLifetime = true,
        ClockSkew = TimeSpan.FromSeconds(30),
        NameClaimType = JwtRegisteredClaimNames.Sub,
        RoleClaimType = ClaimTypes.Role,
    };
}
