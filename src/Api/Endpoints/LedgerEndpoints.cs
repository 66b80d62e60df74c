using System.ComponentModel.DataAnnotations;
using AssetLedger.Api.Contracts;
using AssetLedger.Api.Hosting;
using AssetLedger.Application.Ports;
using AssetLedger.Api.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using P = AssetLedger.Api.Problems.Problems;

namespace AssetLedger.Api.Endpoints;

/// <summary>
/// The verifiable ledger: public keys, signed checkpoints, inclusion and consistency proofs, anchor receipts, and an
/// integrity check. Keys, checkpoints and proofs carry only hashes, so anyone may read them (public verifiability).
/// </summary>
public static class LedgerEndpoints
{
    const int MaxIntegrityRange = 100_000;

    public static RouteGroupBuilder MapLedger(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/ledger").WithTags("Ledger").AllowAnonymous().WithReadProblems();
        g.MapGet("/keys", (ILedgerQueries l) => TypedResults.Ok(l.PublicKeys())).WithSummary("The ledger's and the local anchor's public keys (signed-note verifier keys)");
        g.MapGet("/checkpoints/latest", Latest).WithSummary("The latest signed checkpoint (tree size, root, time, previous checkpoint) with the witnesses' cosignatures");
        g.MapGet("/checkpoints/{treeSize:long}", BySize).WithSummary("The signed checkpoint of one tree size, with the witnesses' cosignatures");
        g.MapGet("/proofs/inclusion", Inclusion).WithSummary("RFC 9162 inclusion proof of an event in a checkpoint's tree (default: the latest)");
        g.MapGet("/proofs/consistency", Consistency).WithSummary("RFC 9162 consistency proof between two tree sizes");
        g.MapGet("/anchors", Anchors).WithSummary("Anchor targets with their progress, and anchor receipts (paged by tree size)");
        app.MapGroup("/api/v1/ledger").WithTags("Ledger").RequireAuthorization(p => p.RequireRole("Regulator", "Operator")).WithReadProblems()
            .MapGet("/integrity", Integrity).WithSummary("Recompute event hashes, stream chains, the tree and checkpoints over a position range (regulator, operator)");
        return g;
    }

    static async Task<Results<Ok<CheckpointView>, ProblemHttpResult>> Latest(ILedgerQueries l, CancellationToken ct) =>
        await l.LatestCheckpoint(ct) is { } c ? TypedResults.Ok(CheckpointView.From(c, await l.Cosignatures(c.TreeSize, ct)))
            : P.From(LedgerErrors.NoCheckpointYet);

    static async Task<Results<Ok<CheckpointView>, ProblemHttpResult>> BySize(long treeSize, ILedgerQueries l, CancellationToken ct) =>
        await l.CheckpointBySize(treeSize, ct) is { } c ? TypedResults.Ok(CheckpointView.From(c, await l.Cosignatures(c.TreeSize, ct)))
            : P.From(LedgerErrors.CheckpointNotFound(treeSize));

    static async Task<Results<Ok<InclusionProofView>, ProblemHttpResult>> Inclusion(Guid? eventId, [Range(1, long.MaxValue)] long? position,
        [Range(1, long.MaxValue)] long? treeSize, ILedgerQueries l, CancellationToken ct)
    {
        if (eventId is null == position is null) return P.From(RequestErrors.Malformed("eventId", "Give exactly one of eventId or position."));
        if (QueryRules.FirstOf(QueryRules.AtLeast(position, 1, "position"), QueryRules.AtLeast(treeSize, 1, "treeSize")) is { } bad) return P.From(bad);
        var proof = eventId is { } id ? await l.InclusionProofForEvent(id, treeSize, ct) : await l.InclusionProofForPosition(position!.Value, treeSize, ct);
        return proof.Ok ? TypedResults.Ok(InclusionProofView.From(proof.Value!)) : P.From(LedgerErrors.Proof(proof.ErrorCode!, proof.Error!));
    }

    static async Task<Results<Ok<ConsistencyProofView>, ProblemHttpResult>> Consistency([Range(1, long.MaxValue)] long from, [Range(1, long.MaxValue)] long to,
        ILedgerQueries l, CancellationToken ct)
    {
        if (QueryRules.FirstOf(QueryRules.AtLeast(from, 1, "from"), QueryRules.AtLeast(to, 1, "to")) is { } bad) return P.From(bad);
        var proof = await l.ConsistencyProof(from, to, ct);
        return proof.Ok ? TypedResults.Ok(ConsistencyProofView.Of(proof.Value!)) : P.From(LedgerErrors.Proof(proof.ErrorCode!, proof.Error!));
    }

    public const int MaxAnchorsPage = 1000;

    static async Task<Results<Ok<AnchorsView>, ProblemHttpResult>> Anchors([Range(1, long.MaxValue)] long? treeSize, [Range(0, long.MaxValue)] long? after,
        [Range(1, MaxAnchorsPage)] int? limit, ILedgerQueries l, CancellationToken ct)
    {
        if (QueryRules.FirstOf(QueryRules.AtLeast(treeSize, 1, "treeSize"), QueryRules.AtLeast(after, 0, "after"), QueryRules.PageSize(limit, MaxAnchorsPage)) is { } bad)
            return P.From(bad);
        var take = limit ?? 100;
        var receipts = await l.Anchors(treeSize, after ?? 0, take, ct);
        return TypedResults.Ok(new AnchorsView(await l.AnchorStatuses(ct), receipts.Select(AnchorReceiptView.From).ToList(),
            receipts.Count == take && treeSize is null ? receipts[^1].TreeSize : null));
    }

    static async Task<Results<Ok<IntegrityReport>, ProblemHttpResult>> Integrity([Range(1, long.MaxValue)] long? from, [Range(1, long.MaxValue)] long? to, ILedgerQueries l, CancellationToken ct)
    {
        var start = from ?? 1;
        var end = to ?? start + MaxIntegrityRange - 1;
        if (start < 1 || end < start) return P.From(RequestErrors.Malformed("from", "Need 1 ≤ from ≤ to."));
        if (end - start + 1 > MaxIntegrityRange)
            return P.From(RequestErrors.RangeTooLarge($"Check at most {MaxIntegrityRange} positions per call; page with from/to."));
        return TypedResults.Ok(await l.CheckIntegrity(start, end, ct));
    }
}
