using AssetLedger.Application.Ports;
using AssetLedger.Domain.Chains;

namespace AssetLedger.Application.Chains;

/// <summary>
/// The active anchor targets of the chain registry, resolved for the anchor worker: an EVM target's RPC URL is its
/// network's first endpoint; a Fabric target's TLS roots are its network's. Reads the registry's stream, so an
/// activation is seen by the next call on every instance.
/// </summary>
public sealed class ChainTargetSource(ChainRegistryReader registry) : IAnchorTargetSource
{
    public async Task<IReadOnlyList<AnchorTargetDefinition>> ActiveTargets(CancellationToken ct) =>
        (await registry.Current(ct)).ActiveTargets().Select(Definition).ToList();

    public static AnchorTargetDefinition Definition(ResolvedTarget r)
    {
        var (t, n, c, cred) = (r.Target, r.Network, r.Contract, r.Target.Credentials);
        return n.Kind == ChainKind.Evm
            ? new AnchorTargetDefinition(t.Name, "evm", r.Revision,
                new EvmTargetDefinition(n.Endpoints[0], n.ChainId!.Value, c.Address, cred.PrivateKeyFile, cred.PrivateKeyEnv, t.LegacyTransactions), null)
            : new AnchorTargetDefinition(t.Name, "fabric", r.Revision, null,
                new FabricTargetDefinition(n.Endpoints[0], n.TlsRootCertificates.Count > 0 ? string.Join('\n', n.TlsRootCertificates) + "\n" : null, null,
                    cred.TlsServerName, cred.MspId!, cred.CertificateFile!, cred.PrivateKeyFile!, c.Channel!, c.Chaincode!));
    }
}
