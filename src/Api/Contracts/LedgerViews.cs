using AssetLedger.Application.Ports;
using AssetLedger.Ledger.Anchors;
using AssetLedger.Ledger.Checkpoints;

namespace AssetLedger.Api.Contracts;

/// <summary>A signed tree head. Hashes are hex; <c>note</c> is the C2SP signed note exactly as signed (docs/checkpoint-format.md).</summary>
/// <param name="Note">The checkpoint as the ledger key signed it (noteHash is over this).</param>
/// <param name="CosignedNote">The same note with each witness's cosignature line appended (tlog-cosignature/v1): a witness's
/// client opens it with that witness's key. Equal to <paramref name="Note"/> while no witness has cosigned.</param>
public sealed record CheckpointView(long TreeSize, string RootHash, DateTimeOffset Timestamp, string? PreviousHash, string NoteHash, string Note,
    string? CosignedNote = null, IReadOnlyList<CosignatureView>? Cosignatures = null)
{
    public static CheckpointView From(SignedCheckpoint c, IReadOnlyList<CheckpointCosignature>? cosignatures = null) =>
        new(c.TreeSize, Hex(c.RootHash), c.Timestamp, c.PreviousHash is null ? null : Hex(c.PreviousHash), Hex(c.NoteHash), c.Note,
            c.Note + string.Concat((cosignatures ?? []).Select(x => x.Line)),
            (cosignatures ?? []).Select(x => new CosignatureView(x.Witness, x.WitnessKey, x.Line, x.CosignedAt)).ToList());
    static string Hex(byte[] b) => Convert.ToHexStringLower(b);
}

/// <summary>One witness's cosignature of a checkpoint: the anchor name, its verifier key, its signature line and when it signed.</summary>
public sealed record CosignatureView(string Witness, string WitnessKey, string Line, DateTimeOffset CosignedAt);

/// <summary>RFC 9162 inclusion proof of one event (leaf index = position − 1) in the tree of <c>treeSize</c> leaves.</summary>
public sealed record InclusionProofView(long Position, Guid EventId, long LeafIndex, long TreeSize, string EventHash, string LeafHash, string RootHash,
    IReadOnlyList<string> Path, CheckpointView? Checkpoint)
{
    public static InclusionProofView From(InclusionProof p) => new(p.Position, p.EventId, p.LeafIndex, p.TreeSize, Hex(p.EventHash), Hex(p.LeafHash),
        Hex(p.RootHash), p.Path.Select(Hex).ToList(), p.Checkpoint is null ? null : CheckpointView.From(p.Checkpoint));
    static string Hex(byte[] b) => Convert.ToHexStringLower(b);
}

/// <summary>RFC 9162 consistency proof: the tree of <c>from</c> leaves is a prefix of the tree of <c>to</c> leaves.</summary>
public sealed record ConsistencyProofView(long From, long To, string FromRoot, string ToRoot, IReadOnlyList<string> Path)
{
    public static ConsistencyProofView Of(ConsistencyProof p) =>
        new(p.FirstSize, p.SecondSize, Convert.ToHexStringLower(p.FirstRoot), Convert.ToHexStringLower(p.SecondRoot), p.Path.Select(Convert.ToHexStringLower).ToList());
}

public sealed record AnchorReceiptView(string Anchor, long TreeSize, string TransactionReference, DateTimeOffset AnchoredAt, System.Text.Json.JsonElement Proof)
{
    public static AnchorReceiptView From(AnchorReceipt r)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(r.ProofJson);
        return new(r.Anchor, r.TreeSize, r.TransactionReference, r.AnchoredAt, doc.RootElement.Clone());
    }
}

public sealed record AnchorsView(IReadOnlyList<AnchorStatus> Targets, IReadOnlyList<AnchorReceiptView> Receipts, long? NextAfter);
