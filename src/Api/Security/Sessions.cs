using System.Security.Claims;
using AssetLedger.Application.Ports;
using AssetLedger.Application.Users;
using AssetLedger.Domain.Common;

namespace AssetLedger.Api.Security;

/// <summary>
/// What every session is checked against on every request, whether it arrives as a bearer token or as the console's
/// cookie: the user and the participant are read again from their streams, the roles come from there, and a session
/// whose version is no longer the user's (a reset, a disable, a role revocation, a suspension since it began) is refused.
/// </summary>
public static class Sessions
{
    /// <summary>The principal with the participant's current roles, or the reason the session no longer holds.</summary>
    public static async Task<(ClaimsPrincipal? Principal, string? Failure)> Refresh(ClaimsPrincipal principal, string scheme, IServiceProvider services, CancellationToken ct)
    {
        var login = principal.FindFirstValue("sub");
        var participantId = principal.FindFirstValue(TokenService.ParticipantClaim);
        if (login is null || participantId is null) return (null, "The session names no user or participant.");
        using var stage = Application.Diagnostics.Stages.Start(Application.Diagnostics.Stages.Session);
        // The user's and the participant's streams in one round trip.
        var (user, participant) = await CallerStreams.Read(services.GetRequiredService<IEventStore>(), services.GetRequiredService<IParticipantDirectory>(),
            login, new ParticipantId(participantId), ct, services.GetService<Application.Participants.CallerStreamView>());
        if (!user.Exists || user.Disabled || user.Participant.Value != participantId) return (null, "The token's user is disabled or no longer exists.");
        if (participant is null) return (null, "The token's participant no longer exists.");
        // The two streams just read give the current session version: no further query, no cache, so no
        // instance accepts a session that a reset, a disable, a role revocation or a suspension made stale.
        if (principal.FindFirstValue(TokenService.SessionClaim) != UserSessions.VersionOf(user, participant))
            return (null, "The session ended (the password was reset, the user disabled, a role revoked or the participant suspended); log in again.");
        var claims = principal.Claims.Where(c => c.Type is not ("role" or TokenService.UnverifiedClaim)).ToList();
        claims.AddRange(participant.Roles.Select(r => new Claim("role", r.ToString())));
        if (!participant.Verified) claims.Add(new Claim(TokenService.UnverifiedClaim, "true"));
        return (new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, "sub", "role")), null);
    }

    /// <summary>The claims a session starts with (a token's, less its expiry and id; the console cookie's).</summary>
    public static ClaimsPrincipal Start(string login, ParticipantInfo participant, string session, string scheme) =>
        new(new ClaimsIdentity(
            new[] { new Claim("sub", login), new Claim(TokenService.ParticipantClaim, participant.Id.Value), new Claim(TokenService.SessionClaim, session) }
                .Concat(participant.Roles.Select(r => new Claim("role", r.ToString()))),
            scheme, "sub", "role"));
}
