using System.Diagnostics.Metrics;
using AssetLedger.Application.Diagnostics;
using AssetLedger.Application.Participants;

namespace AssetLedger.Projections.Trace;

/// <summary>
/// The timelines this instance read lately, each kept with what it was read as of (issue 21): the asset's last log position in
/// the read models, the newest position written into any participant, and how many anchors the ledger has. A timeline is
/// served again only when one statement shows all three unchanged; the answer's snapshot (the read models' and the ledger's
/// head, the time) is that statement's, as a fresh read's would be. The proofs of events that were not final when read
/// (<see cref="Application.Ports.PositionProof.IsFinal"/>: a checkpoint or an anchor had not reached them yet) are read again
/// with that statement, in its snapshot; the others cannot have changed.
/// </summary>
/// <remarks>
/// Exact, not "fresh enough": the assets projection writes an asset's row, history, owners, locks and confirmations in one
/// transaction, all from the asset's own events, and the asset's row carries the position of the last of them; so an
/// unchanged position is an unchanged asset part. Names and roles come from participant rows, which carry the position of
/// their last event (Projections 0012). Final proofs cannot change while no anchor is added. Nothing is shared between
/// instances: each checks the database, so a write through any instance is seen by all. At most <c>capacity</c>
/// timelines (<c>AssetLedger:TraceCache:Capacity</c>, default <see cref="DefaultCapacity"/>); the least recently read makes
/// room; 0 keeps none. The counter <c>assetledger.trace.cache</c> (tag <c>outcome</c>: hit, proofs, stale or miss) tells how it does.
/// </remarks>
public sealed class TraceCache(int capacity = TraceCache.DefaultCapacity)
{
    public const int DefaultCapacity = 10_000;
    public const string Instrument = "assetledger.trace.cache";

    static readonly Counter<long> Outcomes = Stages.Meter.CreateCounter<long>(Instrument, "{read}",
        "Trace timelines served from the instance's cache (hit), served from it with the proofs that were not final read again (proofs), read whole again because the asset, a participant or the anchors changed (stale), or read whole because none was kept (miss)");

    readonly LruMap<Guid, Entry>? _entries = capacity > 0 ? new(capacity) : null;
    long _hits, _proofs, _stale;

    /// <summary>Timelines this cache served.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Timelines this cache served after reading again the proofs that were not final.</summary>
    public long ProofsRead => Interlocked.Read(ref _proofs);

    /// <summary>Timelines it had kept but read again, because the asset, a participant or the anchors had changed.</summary>
    public long Stale => Interlocked.Read(ref _stale);

    /// <param name="AssetPosition">The asset row's last position when read.</param>
    /// <param name="ParticipantsPosition">The newest participant row's changed position when read.</param>
    /// <param name="Anchors">The ledger's anchors when read.</param>
    /// <param name="Unfinished">The first log position whose proof was not final for those anchors; null if every one was.</param>
    internal sealed record Entry(long AssetPosition, long ParticipantsPosition, int Anchors, long? Unfinished, AssetTrace Trace);

    internal bool TryGet(Guid asset, out Entry entry)
    {
        entry = null!;
        return _entries is not null && _entries.TryGetValue(asset, out entry);
    }

    internal void Keep(Guid asset, Entry entry)
    {
        if (_entries is null) return;
        // Two readers may race to keep different readings; either is exact for its own key, so the last one stays.
        while (!_entries.TryAdd(asset, entry))
            if (_entries.TryPeek(asset, out var old) && _entries.TryReplace(asset, old, entry)) return;
    }

    internal void Forget(Guid asset) => _entries?.TryRemove(asset);

    /// <summary>Drops every kept timeline.</summary>
    public void Clear() => _entries?.Clear();

    internal void Tally(string outcome)
    {
        if (outcome == Hit) Interlocked.Increment(ref _hits);
        else if (outcome == Proofs) Interlocked.Increment(ref _proofs);
        else if (outcome == Changed) Interlocked.Increment(ref _stale);
        Outcomes.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
    }

    internal const string Hit = "hit", Proofs = "proofs", Changed = "stale", Miss = "miss";
}
