using AssetLedger.Api.Hosting;
using AssetLedger.Api.Security;
using AssetLedger.Application.Ports;
using AssetLedger.Application.Users;
using AssetLedger.Api.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using P = AssetLedger.Api.Problems.Problems;

namespace AssetLedger.Api.Endpoints;

/// <summary>Login (password) or refresh (one-time refresh token) for a short-lived access token.</summary>
public sealed record TokenRequest(string? Login = null, string? Password = null, string? RefreshToken = null);

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
