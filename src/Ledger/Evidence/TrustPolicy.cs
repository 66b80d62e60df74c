namespace AssetLedger.Ledger.Evidence;

/// <summary>
/// What the person verifying trusts, given from outside the bundle (docs/evidence-bundle.md §11): the witnesses' keys
/// and how many of them must have cosigned the bundle's checkpoint, and for chain receipts the chain identity they must
/// name. Without a pinned ledger key and a policy that is met, a bundle that checks out is only "consistent, not pinned".
/// </summary>
/// <param name="WitnessKeys">cosignature/v1 verifier keys (as <c>assetledger witness key</c> prints them).</param>
/// <param name="WitnessQuorum">How many of them must cosign; null: all of them. 0 says on purpose that no witness is required.</param>
/// <param name="EvmChainId">EVM receipts must name this chain id …</param>
/// <param name="EvmContract">… and this contract address (the one deployed by the ledger's anchoring account).</param>
/// <param name="EvmAccount">The anchoring account: the online check asks the pinned contract whether it is its owner.</param>
/// <param name="FabricChannel">Fabric receipts must name this channel …</param>
/// <param name="FabricChaincode">… this chaincode …</param>
/// <param name="FabricMspIds">… and an endorsing MSP among these.</param>
public sealed record TrustPolicy(
    IReadOnlyList<string>? WitnessKeys = null, int? WitnessQuorum = null,
    long? EvmChainId = null, string? EvmContract = null, string? EvmAccount = null,
    string? FabricChannel = null, string? FabricChaincode = null, IReadOnlyList<string>? FabricMspIds = null)
{
    public IReadOnlyList<string> Witnesses => WitnessKeys ?? [];

    /// <summary>The number of cosignatures required: the quorum given, or every pinned witness.</summary>
    public int RequiredCosignatures => WitnessQuorum ?? Witnesses.Count;

    /// <summary>Whether the person said anything about witnesses: keys, or a quorum of 0 on purpose.</summary>
    public bool WitnessesDecided => Witnesses.Count > 0 || WitnessQuorum is not null;

    public bool PinsEvm => EvmChainId is not null && EvmContract is not null;
    public bool PinsFabric => FabricChannel is not null && FabricChaincode is not null;
}
