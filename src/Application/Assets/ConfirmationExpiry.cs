using AssetLedger.Application.Commands;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using Mediator;

namespace AssetLedger.Application.Assets;

/// <summary>
/// The confirmation timer (issue 17 item 3) as a sweep, not as in-memory timers, so it is right after a restart and on
/// any number of instances: the read model names the candidates, and each is decided by the asset's own command
/// (<see cref="ExpireAsset"/>) against its stream with its expected version. Two instances sweeping together both send
/// the command; the store lets one append, and the other's retry finds the asset closed and writes nothing.
/// </summary>
public sealed class ConfirmationExpiry(IPendingAssets pending, ISender sender, ConfirmationPolicy policy, IClock clock)
{
    public const int BatchSize = 200;

    /// <summary>Expires every asset whose window has passed, in batches; returns how many this sweep expired.</summary>
    public async Task<int> Sweep(CancellationToken ct)
    {
        var now = clock.UtcNow;
        var cutoffs = Enum.GetValues<AssetKind>().ToDictionary(k => k, k => now - policy.Window(k));
        var expired = 0;
        while (true)
        {
            var due = await pending.PendingAtOrBefore(cutoffs, BatchSize, ct);
            var progress = 0;
            foreach (var id in due)
            {
                var outcome = await sender.Send(new ExecuteAssetCommand(new ExpireAsset(id, Actor.SystemActor, now), new CommandContext(User: "confirmation-expiry")), ct);
                if (outcome.Ok) progress++;
            }
            expired += progress;
            // A full batch of which some were decided otherwise (confirmed meanwhile) would come back again: stop at the first batch that moved nothing.
            if (due.Count < BatchSize || progress == 0) return expired;
        }
    }
}
