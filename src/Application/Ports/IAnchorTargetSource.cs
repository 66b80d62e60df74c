namespace AssetLedger.Application.Ports;

/// <summary>
/// The chain anchor targets that the managed chain records (alliances, networks, contracts, targets under
/// <c>/api/v1/chains</c>) mark active. The anchor worker asks for them every few seconds and runs one loop per
/// target, so activating or deactivating a target takes effect in every API instance without a restart.
/// Secrets are never here: only the names of the files or environment variables that hold them.
/// </summary>
public interface IAnchorTargetSource
{
    Task<IReadOnlyList<AnchorTargetDefinition>> ActiveTargets(CancellationToken ct);
}

/// <param name="Name">The anchor name: key of its cursor and receipts; unique, never <c>local</c>.</param>
/// <param name="Kind"><c>evm</c>, <c>fabric</c> or <c>witness</c>.</param>
/// <param name="Revision">Changes whenever anything of the definition changes (e.g. the alliance stream's version), so the worker rebuilds the anchor.</param>
public sealed record AnchorTargetDefinition(string Name, string Kind, long Revision, EvmTargetDefinition? Evm, FabricTargetDefinition? Fabric,
    WitnessTargetDefinition? Witness = null);

/// <param name="Url">The witness's submission prefix (tlog-witness): checkpoints go to <c>{Url}/add-checkpoint</c>.</param>
/// <param name="VerifierKey">Its cosignature/v1 verifier key: an answer that does not verify with it is a failure.</param>
public sealed record WitnessTargetDefinition(string Url, string VerifierKey);

/// <param name="ContractAddress">Null: the anchor deploys the contract on first use and records it.</param>
/// <param name="PrivateKeyFile">File that holds the anchoring account's key (hex); or <paramref name="PrivateKeyEnv"/> names an environment variable.</param>
public sealed record EvmTargetDefinition(
    string RpcUrl, long ChainId, string? ContractAddress, string? PrivateKeyFile, string? PrivateKeyEnv, bool LegacyTransactions);

/// <param name="TlsRootCertificatePem">The CA certificate(s) of the peers' TLS, PEM (public, so kept in the record); or <paramref name="TlsRootCertFile"/>.</param>
public sealed record FabricTargetDefinition(
    string Endpoint, string? TlsRootCertificatePem, string? TlsRootCertFile, string? TlsServerName,
    string MspId, string CertificateFile, string PrivateKeyFile, string Channel, string Chaincode);
