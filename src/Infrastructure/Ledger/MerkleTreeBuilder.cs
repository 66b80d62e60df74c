using AssetLedger.Application.Ports;

namespace AssetLedger.Infrastructure.Ledger;

/// <summary>
/// Follows the event log in position order and appends each event's hash as the next leaf: leaf index =
/// position − 1. Safe to run in every process: appends take the tree's size row lock, and the events
/// after that size are read under it, so a leaf is never appended twice or skipped.
/// </summary>
public sealed class MerkleTreeBuilder
{
    readonly IEventStore _events;
    readonly PostgresMerkleTree _tree;

    public MerkleTreeBuilder(IEventStore events, PostgresMerkleTree tree, int batchSize = 2000)
    {
        _events = events;
        _tree = tree;
        BatchSize = batchSize;
    }

    /// <summary>Most leaves one transaction appends.</summary>
    public int BatchSize { get; }

    /// <summary>Appends up to one batch of leaves; returns how many (0 when the tree has every committed event).</summary>
    public async Task<int> AppendNext(CancellationToken ct)
    {
        // Unlocked look first (one round trip), so idle processes do not queue on the lock.
        if (!await _tree.BehindLog(ct)) return 0;
        var (from, to) = await _tree.Append(async (size, c) =>
        {
            var events = await _events.ReadAll(size, BatchSize, c);
            var leaves = new byte[events.Count][];
            for (var i = 0; i < events.Count; i++)
            {
                if (events[i].Position != size + 1 + i)
                    throw new InvalidOperationException($"The event log has position {events[i].Position} where {size + 1 + i} was expected: positions must be gap-free from 1.");
                leaves[i] = Convert.FromHexString(events[i].Hash);
            }
            return leaves;
        }, ct);
        return (int)(to - from);
    }

    /// <summary>Appends until the tree has every event committed when it looked; returns how many leaves it appended.</summary>
    public async Task<long> CatchUp(CancellationToken ct)
    {
        long total = 0;
        int appended;
        while ((appended = await AppendNext(ct)) > 0) total += appended;
        return total;
    }
}
