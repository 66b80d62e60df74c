using AssetLedger.Application.Ports;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;

namespace AssetLedger.Application.Assets;

/// <summary>
/// Checks that every participant a command names is registered, and fills in what the decision needs to know
/// about them (a venue's roles), so the pure decider never does I/O.
/// </summary>
public static class ParticipantReferences
{
    public static async Task<Result<IAssetCommand>> Resolve(IParticipantDirectory directory, IAssetCommand command, CancellationToken ct)
    {
        switch (command)
        {
            case RegisterAsset r:
                if (await Missing(directory, r.Owner, "ownerId", ct) is { } e1) return e1;
                if (r.Kind == AssetKind.WarehouseReceipt && r.Details.Warehouse is { } wh)
                {
                    var w = await directory.Find(wh, ct);
                    if (w is null) return Unknown(wh, "warehouseId");
                    if (!w.Roles.Contains(Role.Warehouse))
                        return new DomainError("asset.not_a_warehouse", $"{wh} is not a warehouse; a receipt names the warehouse that holds the goods.", ErrorKind.Invalid, "warehouseId");
                }
                if (r.Kind == AssetKind.Receivable && r.Details.Debtor is { } debtor && await Missing(directory, debtor, "debtorId", ct) is { } e2) return e2;
                return r;
            case OfferTransfer o:
                return await Missing(directory, o.To, "toId", ct) is { } e3 ? e3 : o;
            case TransferOut t:
                var venue = await directory.Find(t.Venue, ct);
                return venue is null ? Unknown(t.Venue, "venueId") : t with { VenueRoles = venue.Roles };
            case ReturnAsset { NewOwner: { } n } ret:
                return await Missing(directory, n, "newOwnerId", ct) is { } e4 ? e4 : ret;
            default:
                return Result<IAssetCommand>.Of(command);
        }
    }

    static async Task<DomainError?> Missing(IParticipantDirectory d, ParticipantId id, string field, CancellationToken ct) =>
        ParticipantId.IsWellFormed(id.Value) && await d.Find(id, ct) is not null ? null : Unknown(id, field);

    static DomainError Unknown(ParticipantId id, string field) =>
        new("asset.unknown_participant", $"{field} '{id}' is not a registered participant; the operator registers participants first (POST /api/v1/participants).", ErrorKind.Invalid, field);
}
