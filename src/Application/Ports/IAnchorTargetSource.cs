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
/// <param name="Kind"><c>evm</c> or <c>fabric</c>.</param>
/// <param name="Revision">Changes whenever anything of the definition changes (e.g. the alliance stream's version), so the worker rebuilds the anchor.</param>
public sealed record AnchorTargetDefinition(string Name, string Kind, long Revision, EvmTargetDefinition? Evm, FabricTargetDefinition? Fabric);

/// <param name="ContractAddress">Null: the anchor deploys the contract on first use and records it.</param>
/// <param name="PrivateKeyFile">File that holds the anchoring account's key (hex); or <paramref name="PrivateKeyEnv"/> names an environment variable.</param>
public sealed record EvmTargetDefinition(
    string RpcUrl, long ChainId, string? ContractAddress, string? PrivateKeyFile, string? PrivateKeyEnv, bool LegacyTransactions);

/// <param name="TlsRootCertificatePem">The CA certificate(s) of the peers' TLS, PEM (public, so kept in the record); or <paramref name="TlsRootCertFile"/>.</param>
public sealed record FabricTargetDefinition(
    string Endpoint, string? TlsRootCertificatePem, string? TlsRootCertFile, string? TlsServerName,
    string MspId, string CertificateFile, string PrivateKeyFile, string Channel, string Chaincode);
