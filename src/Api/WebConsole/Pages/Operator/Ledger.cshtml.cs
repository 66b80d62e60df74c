using AssetLedger.Api.Contracts;
using AssetLedger.Api.Endpoints;
using AssetLedger.Application.Chains;
using AssetLedger.Application.Ports;
using AssetLedger.Ledger.Anchors;
using AssetLedger.Ledger.Checkpoints;
using Microsoft.AspNetCore.Authorization;

namespace AssetLedger.Api.WebConsole.Pages.Operator;

/// <summary>
/// The ledger at a glance for the operator and the regulator: the latest signed checkpoint with its witnesses'
/// cosignatures, each anchor's progress and the latest receipts, and (for the operator) the chain targets with their
/// anchoring status. The same queries as GET /api/v1/ledger/checkpoints/latest, /ledger/anchors and /chains/targets.
/// </summary>
[Authorize(Roles = "Operator,Regulator")]
public sealed class LedgerModel(ILedgerQueries ledger, ChainRegistryReader registry, IChainTargetStatus targetStatus) : ConsolePage
{
    public const int Receipts = 20;
    public SignedCheckpoint? Latest { get; private set; }
    public IReadOnlyList<CheckpointCosignature> Cosignatures { get; private set; } = [];
    public IReadOnlyList<AnchorStatus> Anchors { get; private set; } = [];
    public IReadOnlyList<AnchorReceipt> LatestReceipts { get; private set; } = [];
    public IReadOnlyList<TargetView> Targets { get; private set; } = [];

    public async Task OnGet(CancellationToken ct)
    {
        Latest = await ledger.LatestCheckpoint(ct);
        if (Latest is { } c)
        {
            Cosignatures = await ledger.Cosignatures(c.TreeSize, ct);
            LatestReceipts = await ledger.Anchors(c.TreeSize, 0, Receipts, ct);
        }
        Anchors = await ledger.AnchorStatuses(ct);
        if (Is(Domain.Common.Role.Operator)) Targets = await ChainEndpoints.TargetViews(registry, targetStatus, ct);
    }

    public static string Hex(byte[]? bytes) => bytes is null ? "" : Convert.ToHexStringLower(bytes);
}
