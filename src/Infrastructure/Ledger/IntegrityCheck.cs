using AssetLedger.Application.Ports;
using AssetLedger.Ledger.Canonical;
using AssetLedger.Ledger.Checkpoints;
using AssetLedger.Ledger.Merkle;
using AssetLedger.Ledger.Notes;

namespace AssetLedger.Infrastructure.Ledger;

/// <summary>
/// Recomputes what the ledger claims over a position range: each event's hash from its content
/// (<see cref="EventHasher"/>), each stream's previous-hash link, each tree leaf, the tree's stored
/// nodes above those leaves, and the checkpoints in the range (signature, chain, root); and each asset event by the
/// Domain's rules and its signer's context (<see cref="IntegrityRules"/>).
/// </summary>
public sealed class IntegrityCheck(IEventStore events, PostgresMerkleTree tree, CheckpointStore checkpoints, NoteVerifier ledgerKey)
{
    const int Page = 1000, MaxProblems = 100;

    public async Task<IntegrityReport> Run(long fromPosition, long toPosition, CancellationToken ct)
    {
        var head = await events.HeadPosition(ct);
        var treeSize = await tree.Size(ct);
        var (from, to) = (Math.Max(1, fromPosition), Math.Min(toPosition, head));
        var problems = new List<IntegrityProblem>();
        long checkedCount = 0;
        // Each stream's last (version, hash) seen in the range, to check the next event's link.
        var lastInStream = new Dictionary<string, (long Version, string Hash)>();
        var rules = new IntegrityRules(events);

        for (var after = from - 1; after < to && problems.Count < MaxProblems;)
        {
            var page = (await events.ReadAll(after, (int)Math.Min(Page, to - after), ct)).Where(e => e.Position <= to).ToList();
            if (page.Count == 0) break;
            var leaves = await tree.LeafHashes(page[0].Position - 1, (int)Math.Min(page.Count, Math.Max(0, treeSize - (page[0].Position - 1))), ct);
            for (var i = 0; i < page.Count; i++)
            {
                var e = page[i];
                if (e.Position != after + 1) problems.Add(new(after + 1, "order", $"position {after + 1} is missing: the next stored event is at {e.Position}"));
                after = e.Position;
                checkedCount++;
                var recomputed = EventHasher.Compute(e.Data, e.EventId, e.Metadata, e.PreviousHash, e.SchemaVersion, e.StreamId, e.Type, e.Version);
                if (recomputed != e.Hash)
                    problems.Add(new(e.Position, "event-hash", $"event {e.EventId} ({e.StreamId} v{e.Version}): stored hash {e.Hash}, content hashes to {recomputed}"));
                if (await ChainProblem(e, lastInStream, ct) is { } chain) problems.Add(new(e.Position, "chain", chain));
                lastInStream[e.StreamId] = (e.Version, e.Hash);
                problems.AddRange(await rules.Judge(e, ct));

                var leafIndex = e.Position - 1;
                if (leafIndex < treeSize)
                {
                    var expected = MerkleHash.Leaf(Convert.FromHexString(recomputed));
                    var stored = leafIndex - (page[0].Position - 1) < leaves.Length ? leaves[leafIndex - (page[0].Position - 1)] : null;
                    if (stored is null) problems.Add(new(e.Position, "leaf", $"leaf {leafIndex} is missing from the tree of {treeSize}"));
                    else if (!stored.AsSpan().SequenceEqual(expected))
                        problems.Add(new(e.Position, "leaf", $"leaf {leafIndex} is {Convert.ToHexStringLower(stored)}, the event's recomputed hash gives {Convert.ToHexStringLower(expected)}"));
                }
            }
        }

        if (problems.Count < MaxProblems) problems.AddRange(await NodeProblems(from - 1, Math.Min(to, treeSize), ct));
        var (checkpointSize, checkpointProblems) = await CheckpointProblems(from, to, treeSize, ct);
        problems.AddRange(checkpointProblems);
        var first = problems.Where(p => p.Position is not null).Select(p => p.Position).Min();
        return new IntegrityReport(from, to, checkedCount, treeSize, checkpointSize, first, problems);
    }

    async Task<string?> ChainProblem(StoredEvent e, Dictionary<string, (long Version, string Hash)> lastInStream, CancellationToken ct)
    {
        if (e.Version == 1) return e.PreviousHash is null ? null : "the first event of its stream names a previous hash";
        string? previous;
        if (lastInStream.TryGetValue(e.StreamId, out var last) && last.Version == e.Version - 1) previous = last.Hash;
        else
        {
            var before = await events.ReadStream(e.StreamId, e.Version - 1, 1, ct);
            if (before.Count == 0 || before[0].Version != e.Version - 1) return $"version {e.Version - 1} of {e.StreamId} is missing";
            if (before[0].Position >= e.Position) return $"version {e.Version - 1} of {e.StreamId} is at a later position ({before[0].Position})";
            previous = before[0].Hash;
        }
        return e.PreviousHash == previous ? null : $"previous hash {e.PreviousHash ?? "null"} is not the hash {previous} of {e.StreamId} v{e.Version - 1}";
    }

    /// <summary>Each stored subtree hash wholly inside leaves [fromLeaf, toLeaf), recomputed from the level below.</summary>
    async Task<List<IntegrityProblem>> NodeProblems(long fromLeaf, long toLeaf, CancellationToken ct)
    {
        var problems = new List<IntegrityProblem>();
        for (var level = Tiles.Height; level < 63 && (1L << level) <= toLeaf - fromLeaf; level += Tiles.Height)
        {
            var span = 1L << level;
            var first = (fromLeaf + span - 1) / span;
            var end = toLeaf / span;
            for (var start = first; start < end; start += Page)
            {
                var ids = Enumerable.Range(0, (int)Math.Min(Page, end - start)).Select(i => new NodeId(level, start + i)).ToList();
                var stored = await tree.ReadNodes(ids, ct);
                var below = await tree.ReadNodes(ids.SelectMany(id => new[] { new NodeId(level - 1, 2 * id.Index), new NodeId(level - 1, 2 * id.Index + 1) }).ToList(), ct);
                foreach (var id in ids)
                {
                    var recomputed = MerkleHash.Node(below[new NodeId(level - 1, 2 * id.Index)], below[new NodeId(level - 1, 2 * id.Index + 1)]);
                    if (!recomputed.AsSpan().SequenceEqual(stored[id]))
                        problems.Add(new(id.FirstLeaf + 1, "node", $"the stored hash over positions {id.FirstLeaf + 1}–{id.EndLeaf} does not match the leaves below it"));
                }
                if (problems.Count > 0) return problems;
            }
        }
        return problems;
    }

    /// <summary>Checkpoints with a size in [from, to], the one before them, and the latest: signature, chain link, root.</summary>
    async Task<(long? Latest, List<IntegrityProblem> Problems)> CheckpointProblems(long from, long to, long treeSize, CancellationToken ct)
    {
        var problems = new List<IntegrityProblem>();
        var latest = await checkpoints.Latest(ct);
        // Consecutive checkpoints, so each link to the previous one can be checked.
        var chain = new List<SignedCheckpoint>();
        if (await checkpoints.Before(from, ct) is { } previous) chain.Add(previous);
        for (var after = chain.Count > 0 ? chain[0].TreeSize : 0; ;)
        {
            var page = (await checkpoints.Range(after, Page, ct)).Where(c => c.TreeSize <= to).ToList();
            if (page.Count == 0) break;
            chain.AddRange(page);
            after = page[^1].TreeSize;
        }
        for (var i = 0; i < chain.Count; i++)
        {
            await CheckOne(chain[i], treeSize, problems, ct);
            if (i > 0 && !Same(chain[i].PreviousHash, chain[i - 1].NoteHash))
                problems.Add(new(null, "checkpoint", $"checkpoint {chain[i].TreeSize} does not name checkpoint {chain[i - 1].TreeSize} as previous"));
            if (i == 0 && chain[i].PreviousHash is null != (await checkpoints.Before(chain[i].TreeSize, ct) is null))
                problems.Add(new(null, "checkpoint", $"checkpoint {chain[i].TreeSize}: only the first checkpoint has no previous"));
        }
        if (latest is not null && chain.All(c => c.TreeSize != latest.TreeSize)) await CheckOne(latest, treeSize, problems, ct);
        return (latest?.TreeSize, problems);
    }

    async Task CheckOne(SignedCheckpoint c, long treeSize, List<IntegrityProblem> problems, CancellationToken ct)
    {
        var opened = SignedNote.Open(c.Note, ledgerKey);
        if (!opened.IsValid) problems.Add(new(null, "checkpoint", $"checkpoint {c.TreeSize}: {opened.Message}"));
        else
        {
            var body = CheckpointBody.Parse(opened.Text!);
            if (body.TreeSize != c.TreeSize || !body.RootHash.AsSpan().SequenceEqual(c.RootHash) || !Same(body.PreviousHash, c.PreviousHash))
                problems.Add(new(null, "checkpoint", $"checkpoint {c.TreeSize}: the stored columns differ from its signed note"));
        }
        if (!CheckpointBody.NoteHash(c.Note).AsSpan().SequenceEqual(c.NoteHash)) problems.Add(new(null, "checkpoint", $"checkpoint {c.TreeSize}: note hash does not match the note"));
        if (c.TreeSize > treeSize)
        {
            problems.Add(new(null, "checkpoint", $"checkpoint {c.TreeSize} is larger than the tree ({treeSize})"));
            return;
        }
        var root = await tree.Root(c.TreeSize, ct);
        if (!root.AsSpan().SequenceEqual(c.RootHash))
            problems.Add(new(null, "checkpoint", $"checkpoint {c.TreeSize}: signed root {Convert.ToHexStringLower(c.RootHash)}, the stored tree gives {Convert.ToHexStringLower(root)}"));
    }

    static bool Same(byte[]? a, byte[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);
}
