using AssetLedger.Application.Ports;
using AssetLedger.Domain.Chains;

namespace AssetLedger.Application.Chains;

/// <summary>
/// The active anchor targets and witnesses of the chain registry, resolved for the anchor worker: an EVM target's RPC URL is its
/// network's first endpoint; a Fabric target's TLS roots are its network's. Reads the registry's stream, so an
/// activation is seen by the next call on every instance.
/// </summary>
public sealed class ChainTargetSource(ChainRegistryReader registry) : IAnchorTargetSource
{
    public async Task<IReadOnlyList<AnchorTargetDefinition>> ActiveTargets(CancellationToken ct)
    {
        var s = await registry.Current(ct);
        return [.. s.ActiveTargets().Select(Definition), .. s.Witnesses.Values.Where(w => w.Active).Select(Definition)];
    }

    /// <summary>A witness runs under its anchor name <c>witness:&lt;name&gt;</c>; its URL and key never change, so its revision is its registration's.</summary>
    public static AnchorTargetDefinition Definition(WitnessRecord w) =>
        new(w.AnchorName, "witness", w.Revision, null, null, new WitnessTargetDefinition(w.Url, w.VerifierKey));

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
