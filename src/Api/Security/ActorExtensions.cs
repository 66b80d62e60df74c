using System.Security.Claims;
using AssetLedger.Domain.Common;

namespace AssetLedger.Api.Security;

public static class ActorExtensions
{
    /// <summary>The authenticated participant with the roles it holds now (refreshed from its stream on every request).</summary>
    public static Actor ToActor(this ClaimsPrincipal user)
    {
        var id = user.FindFirstValue(TokenService.ParticipantClaim) ?? throw new InvalidOperationException("No authenticated participant.");
        var roles = user.FindAll("role").Select(c => Enum.Parse<Role>(c.Value)).ToHashSet();
        return new Actor(new ParticipantId(id), roles);
    }

    public static string? Login(this ClaimsPrincipal user) => user.FindFirstValue("sub");

    public static string? ParticipantIdOrNull(this ClaimsPrincipal user) => user.FindFirstValue(TokenService.ParticipantClaim);
}
