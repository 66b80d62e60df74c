using System.Security.Claims;
using System.Text.Encodings.Web;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Common;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace AssetLedger.Api.Security;

/// <summary>
/// Development only (registered when ASPNETCORE_ENVIRONMENT=Development): the acting participant is named by
/// the X-Participant-Id header and its roles come from the participant's own stream. Real tokens replace it.
/// </summary>
public sealed class DevelopmentParticipantHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IParticipantDirectory directory)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "DevelopmentParticipant";
    public const string Header = "X-Participant-Id";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var values) || string.IsNullOrWhiteSpace(values.ToString())) return AuthenticateResult.NoResult();
        var id = values.ToString().Trim();
        if (!ParticipantId.IsWellFormed(id)) return AuthenticateResult.Fail($"{Header} '{id}' is not a participant id.");
        var participant = await directory.Find(new ParticipantId(id), Context.RequestAborted);
        if (participant is null) return AuthenticateResult.Fail($"{Header} names '{id}', which is not a registered participant.");
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, id), new(ClaimTypes.Name, participant.Name) };
        claims.AddRange(participant.Roles.Select(r => new Claim(ClaimTypes.Role, r.ToString())));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var detail = result.Failure?.Message ?? $"Name the acting participant in the {Header} header (development mode).";
        await Problems.Problems.Create(StatusCodes.Status401Unauthorized, "auth.required", detail).ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        await Problems.Problems.Create(StatusCodes.Status403Forbidden, "auth.forbidden", "The acting participant may not use this endpoint.").ExecuteAsync(Context);
}

public static class ActorExtensions
{
    /// <summary>The authenticated participant with the roles it holds now.</summary>
    public static Actor ToActor(this ClaimsPrincipal user)
    {
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("No authenticated participant.");
        var roles = user.FindAll(ClaimTypes.Role).Select(c => Enum.Parse<Role>(c.Value)).ToHashSet();
        return new Actor(new ParticipantId(id), roles);
    }
}
