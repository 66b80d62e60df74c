using AssetLedger.Api.Hosting;
using AssetLedger.Api.Security;
using AssetLedger.Application.Ports;
using AssetLedger.Application.Users;
using AssetLedger.Api.Problems;
using System.ComponentModel.DataAnnotations;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Users;
using Microsoft.AspNetCore.Http.HttpResults;
using P = AssetLedger.Api.Problems.Problems;

namespace AssetLedger.Api.Endpoints;

/// <summary>Login (password) or refresh (one-time refresh token) for a short-lived access token.</summary>
public sealed record TokenRequest([property: MaxLength(UserLimits.LoginMax)] string? Login = null, [property: MaxLength(UserLimits.PasswordMax)] string? Password = null,
    [property: MaxLength(TokenRequest.RefreshTokenMax)] string? RefreshToken = null)
{
    /// <summary>Refresh tokens are 43 base64url characters; the bound leaves room for a longer format.</summary>
    public const int RefreshTokenMax = 128;

    /// <summary>
    /// Values no account can have are refused by their shape before any lookup (and without counting as a failed login):
    /// the limits are public, so saying so reveals nothing about who exists.
    /// </summary>
    public DomainError? ShapeError() =>
        Login is { Length: > UserLimits.LoginMax } ? RequestErrors.Malformed("login", $"login is at most {UserLimits.LoginMax} characters.")
        : Password is { Length: > UserLimits.PasswordMax } ? RequestErrors.Malformed("password", $"password is at most {UserLimits.PasswordMax} characters.")
        : RefreshToken is { Length: > RefreshTokenMax } ? RequestErrors.Malformed("refreshToken", $"refreshToken is at most {RefreshTokenMax} characters, as issued.")
        : null;
}

public static class AuthEndpoints
{
    public static RouteGroupBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/auth").WithTags("Authentication").AllowAnonymous();
        g.MapPost("/token", Token).WithSummary("Exchange a login and password, or a refresh token, for a 15-minute access token and a new refresh token")
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(423).ProducesProblem(429);
        return g;
    }

    static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> Token(TokenRequest body, LoginService logins, TokenService tokens,
        IRefreshTokens refresh, IParticipantDirectory directory, IEventStore store, HttpContext http, CancellationToken ct)
    {
        // The connection's own address: no forwarded header is trusted, so a client cannot choose the address it is counted under.
        var ip = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (body.ShapeError() is { } malformed) return P.From(malformed);
        string login, session;
        ParticipantInfo participant;
        if (body.RefreshToken is { Length: > 0 } rt)
        {
            if (await logins.Waiting(null, ip, ct) is { } wait) return P.From(wait);
            var redeemed = await refresh.Redeem(rt, ct);
            if (redeemed is null)
            {
                await logins.Failed(ip, ct);
                return P.From(AccessErrors.InvalidRefreshToken);
            }
            var user = await UserCommandHandler.Load(store, redeemed.Login, ct);
            if (user.Disabled) return P.From(AccessErrors.UserDisabled);
            // Revoked with the sessions already; checked again in case revoking failed after the event that ended them.
            if (!user.Exists || await directory.Find(user.Participant, ct) is not { } owner || UserSessions.VersionOf(user, owner) != redeemed.Session)
                return P.From(AccessErrors.InvalidRefreshToken);
            (login, participant, session) = (redeemed.Login, owner, redeemed.Session);
        }
        else
        {
            if (string.IsNullOrEmpty(body.Login) || string.IsNullOrEmpty(body.Password))
                return P.From(RequestErrors.Malformed("login", "Send {\"login\",\"password\"} or {\"refreshToken\"}."));
            var result = await logins.Check(body.Login, body.Password, ip, ct);
            if (result.Error is { } e) return P.From(e);
            (login, participant, session) = (result.Login!, result.Participant!, result.Session!);
        }
        return TypedResults.Ok(new TokenResponse(tokens.Issue(login, participant, session), "Bearer", (int)TokenService.AccessLifetime.TotalSeconds,
            await refresh.Issue(login, session, ct), login, participant.Id.Value, participant.Roles.Select(r => r.ToString()).ToList()));
    }
}
