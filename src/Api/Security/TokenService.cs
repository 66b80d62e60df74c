using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using AssetLedger.Application.Ports;
using Microsoft.IdentityModel.Tokens;

namespace AssetLedger.Api.Security;

public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn, string RefreshToken, string Login, string ParticipantId, IReadOnlyList<string> Roles);

/// <summary>Short-lived ES256 access tokens: subject = login, plus the participant and its roles at issue time.</summary>
public sealed class TokenService(JwtKeys keys, IClock clock)
{
    public static readonly TimeSpan AccessLifetime = TimeSpan.FromMinutes(15);
    public const string ParticipantClaim = "participant";

    public string Issue(string login, ParticipantInfo participant)
    {
        var now = clock.UtcNow;
        var claims = new List<Claim>
        {
            new(JwtRegisteredClaimNames.Sub, login),
            new(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")),
            new(ParticipantClaim, participant.Id.Value),
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
