using AssetLedger.Domain.Common;

namespace AssetLedger.Api.Problems;

/// <summary>
/// Refusals about the thing a request names, as the Api words them (the Domain's own, such as
/// <c>AssetErrors.NotFound</c>, are used as they are): an id that cannot name anything, a read model that lags.
/// </summary>
public static class ResourceErrors
{
    /// <summary>Echoes the id as the client wrote it; an asset the caller may not read is not found either.</summary>
    public static DomainError AssetNotFound(string requested) => new("asset.not_found", $"Asset {requested} does not exist.", ErrorKind.NotFound);

    public static DomainError NotAnAssetId(string requested) =>
        new("asset.not_found", $"'{requested}' is not an asset id (a UUID); no such asset exists.", ErrorKind.NotFound);

    public static DomainError NotARegistrationId(string requested) =>
        new("registration.not_found", $"'{requested}' is not a registration id (a UUID); no such registration exists.", ErrorKind.NotFound);

    public static DomainError NotAParticipantId(string requested) =>
        new("participant.not_found", $"'{requested}' is not a participant id; no such participant is registered.", ErrorKind.NotFound);

    /// <summary>An application's first user: the login it asks for is already someone's.</summary>
    public static DomainError AdminLoginTaken(string login) =>
        new("user.exists", $"The login '{login}' is taken; choose another.", ErrorKind.Conflict, "adminLogin");

    /// <summary>The asset's stream has events, but the trace's read models have not reached it yet.</summary>
    public static DomainError NotYetProjected(AssetId asset) =>
        new("trace.not_yet_projected", $"Asset {asset} exists but the read models have not reached it yet; retry in a moment.", ErrorKind.Unavailable);
}
