using AssetLedger.Application.Ports;
using AssetLedger.Ledger.Canonical;

namespace AssetLedger.Infrastructure.EventStore;

/// <summary>The committed state the checked path decided a batch from (read without a lock; the append statement confirms it).</summary>
sealed record StoredState(
    long LastPosition,
    Dictionary<string, Head> Heads,
    Dictionary<Guid, (string Stream, AppendedEvent Event)> Events,
    HashSet<string> TakenKeys,
    HashSet<IdempotencyKey> TakenClaims);

/// <summary>
/// Decides a batch of appends: the rows to write and what each append answers. Two ways:
/// <list type="bullet">
/// <item><see cref="FromHints"/> (the fast path) decides only what it can prove will hold if the database
/// accepts the rows: an append at a head it knows, or a repeat of an append earlier in the same batch.
/// Anything else (an unknown head, <see cref="ExpectedVersion.Any"/> or a version that does not match, a key
/// claimed twice in the batch) returns null.
/// The database then confirms the decision by its constraints or refuses the whole batch.</item>
/// <item><see cref="FromStored"/> (the checked path) decides every append from committed state it read, exactly:
/// version conflicts, retries of stored appends, taken keys; the database refuses the rows if that state changed.</item>
/// </list>
/// Positions are not known until the database assigns them, so planned events carry their ordinal in the
/// batch (1-based, as <c>WITH ORDINALITY</c> counts) and <see cref="Results"/> adds the batch's base.
/// </summary>
sealed class BatchPlan
{
    /// <summary>An answered event: <c>Ordinal</c> &gt; 0 when written by this batch, else <c>Position</c> is final.</summary>
    readonly record struct Planned(Guid EventId, long Version, int Ordinal, long Position, string Hash);

    readonly record struct Outcome(AppendStatus Status, long StreamVersion, Planned[] Events, string? TakenKey = null);

    readonly Outcome[] _outcomes;
    readonly Dictionary<string, Head> _heads = new(StringComparer.Ordinal);
    readonly Dictionary<Guid, (string Stream, Planned Event)> _written = [];
    readonly HashSet<string> _claimed = new(StringComparer.Ordinal);
    readonly HashSet<IdempotencyKey> _claimedKeys = [];
    readonly HashSet<string> _touched = new(StringComparer.Ordinal);

    public AppendRows Rows { get; } = new();

    /// <summary>Heads of the streams this batch writes, as they will be once it commits.</summary>
    public IEnumerable<KeyValuePair<string, Head>> NewHeads => _heads.Where(h => _touched.Contains(h.Key));

    BatchPlan(int count) => _outcomes = new Outcome[count];

    public static BatchPlan? FromHints(IReadOnlyList<PendingAppend> batch, StreamHeads hints)
    {
        var plan = new BatchPlan(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            var (req, events) = (batch[i].Request, batch[i].Events);
            if (plan._written.ContainsKey(events[0].Source.EventId))
            {
                var replay = plan.ReplayOfWritten(req);
                if (replay is null) return null;
                plan._outcomes[i] = replay.Value;
                continue;
            }
            if (!plan.KnownHead(req, hints, out var head) || req.ExpectedVersion != head.Version) return null;
            if ((req.UniqueKeys ?? []).Any(plan._claimed.Contains)) return null;
            if (req.Claim is { } claim && plan._claimedKeys.Contains(claim.Key)) return null;
            plan._outcomes[i] = plan.Write(req, events, head);
        }
        return plan;
    }

    public static BatchPlan FromStored(IReadOnlyList<PendingAppend> batch, StoredState db)
    {
        var plan = new BatchPlan(batch.Count);
        foreach (var (stream, head) in db.Heads) plan._heads[stream] = head;
        for (var i = 0; i < batch.Count; i++)
        {
            var (req, events) = (batch[i].Request, batch[i].Events);
            var head = plan._heads.GetValueOrDefault(req.StreamId) ?? Head.Empty;
            var first = events[0].Source.EventId;
            if (plan._written.ContainsKey(first) || db.Events.ContainsKey(first))
                plan._outcomes[i] = plan.ReplayOfWritten(req) ?? Replay(req, db, head);
            else if (req.ExpectedVersion != ExpectedVersion.Any && req.ExpectedVersion != head.Version)
                plan._outcomes[i] = new Outcome(AppendStatus.WrongExpectedVersion, head.Version, []);
            else if ((req.UniqueKeys ?? []).FirstOrDefault(k => db.TakenKeys.Contains(k) || plan._claimed.Contains(k)) is { } taken)
                plan._outcomes[i] = new Outcome(AppendStatus.KeyTaken, head.Version, [], taken);
            else if (req.Claim is { } claim && (db.TakenClaims.Contains(claim.Key) || plan._claimedKeys.Contains(claim.Key)))
                plan._outcomes[i] = new Outcome(AppendStatus.KeyTaken, head.Version, [], IdempotencyClaim.TakenKey);
            else
                plan._outcomes[i] = plan.Write(req, events, head);
        }
        return plan;
    }

    /// <summary>The head an append can be planned on without a read: one this batch made, a cached one, or "no stream yet".</summary>
    bool KnownHead(AppendRequest req, StreamHeads hints, out Head head)
    {
        if (_heads.TryGetValue(req.StreamId, out head!)) return true;
        if (hints.TryGet(req.StreamId, out head)) return true;
        // A new stream needs no read: if it exists after all, version 1 is taken and the database refuses the batch.
        head = Head.Empty;
        return req.ExpectedVersion == ExpectedVersion.NoStream;
    }

    Outcome Write(AppendRequest req, PreparedEvent[] events, Head head)
    {
        var planned = new Planned[events.Length];
        var (version, previous) = (head.Version, head.LastHash);
        var previousBytes = previous is null ? null : Convert.FromHexString(previous);
        if (previousBytes is not null) Rows.AddLink(req.StreamId, head.Version, previousBytes);
        for (var j = 0; j < events.Length; j++)
        {
            var (e, s) = (events[j], events[j].Source);
            version++;
            var hash = EventHasher.Hash(e.CanonicalData, s.EventId, e.CanonicalMetadata, previous, s.SchemaVersion, req.StreamId, s.Type, version);
            var ordinal = Rows.AddEvent(req.StreamId, version, s, hash, previousBytes);
            var hex = EventHasher.Hex(hash);
            planned[j] = new Planned(s.EventId, version, ordinal, 0, hex);
            _written[s.EventId] = (req.StreamId, planned[j]);
            (previous, previousBytes) = (hex, hash);
        }
        foreach (var k in req.UniqueKeys ?? [])
        {
            _claimed.Add(k);
            Rows.AddKey(k, req.StreamId, planned[0].Ordinal);
        }
        if (req.Claim is { } claim)
        {
            _claimedKeys.Add(claim.Key);
            Rows.AddClaim(claim);
        }
        _heads[req.StreamId] = new Head(version, previous);
        _touched.Add(req.StreamId);
        return new Outcome(AppendStatus.Appended, version, planned);
    }

    /// <summary>A repeat of an append written earlier in this batch (two concurrent submissions of one command); null if it is not exactly that.</summary>
    Outcome? ReplayOfWritten(AppendRequest req)
    {
        var found = new Planned[req.Events.Count];
        for (var j = 0; j < found.Length; j++)
        {
            if (!_written.TryGetValue(req.Events[j].EventId, out var w) || w.Stream != req.StreamId) return null;
            found[j] = w.Event;
        }
        return new Outcome(AppendStatus.AlreadyAppended, found[^1].Version, found);
    }

    /// <summary>A retried append whose events are already stored: answer what the first attempt answered.</summary>
    static Outcome Replay(AppendRequest req, StoredState db, Head head)
    {
        var found = new Planned[req.Events.Count];
        for (var j = 0; j < found.Length; j++)
        {
            if (!db.Events.TryGetValue(req.Events[j].EventId, out var x) || x.Stream != req.StreamId)
                return new Outcome(AppendStatus.WrongExpectedVersion, head.Version, []);
            found[j] = new Planned(x.Event.EventId, x.Event.Version, 0, x.Event.Position, x.Event.Hash);
        }
        return new Outcome(AppendStatus.AlreadyAppended, found[^1].Version, found);
    }

    /// <param name="basePosition">The position before the batch's first event, as the database assigned it.</param>
    public AppendResult[] Results(long basePosition) => _outcomes.Select(o => new AppendResult(o.Status, o.StreamVersion,
        o.Events.Select(e => new AppendedEvent(e.EventId, e.Version, e.Ordinal > 0 ? basePosition + e.Ordinal : e.Position, e.Hash)).ToArray(),
        o.TakenKey)).ToArray();
}
