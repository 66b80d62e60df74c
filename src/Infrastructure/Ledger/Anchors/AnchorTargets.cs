using AssetLedger.Application.Ports;
using AssetLedger.Infrastructure.Ledger.Anchors.Fabric;
using AssetLedger.Ledger.Anchors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace AssetLedger.Infrastructure.Ledger.Anchors;

/// <summary>
/// Which anchor targets there are now: the ones this process was configured with (<c>local</c> always, and a
/// target from configuration if any) and the chain targets the managed chain records mark active
/// (<see cref="IAnchorTargetSource"/>). Every API instance answers the same, whether it runs the workers or not,
/// so the health check, the anchor status and evidence bundles agree across instances.
/// </summary>
public sealed class AnchorTargets
{
    readonly IReadOnlyList<IAnchor> _configured;
    readonly IAnchorTargetSource? _source;

    public AnchorTargets(IEnumerable<IAnchor> configured, IAnchorTargetSource? source = null)
    {
        _configured = configured.ToList();
        if (_configured.Select(a => a.Name).Distinct().Count() != _configured.Count) throw new ArgumentException("Anchor names must be distinct.", nameof(configured));
        _source = source;
    }

    /// <summary>The anchors from configuration, in the order given (<c>local</c> first).</summary>
    public IReadOnlyList<IAnchor> Configured => _configured;

    public bool IsConfigured(string name) => _configured.Any(a => a.Name == name);

    /// <summary>The active managed targets, without any whose name a configured anchor already uses.</summary>
    public async Task<IReadOnlyList<AnchorTargetDefinition>> Managed(CancellationToken ct) =>
        _source is null ? [] : (await _source.ActiveTargets(ct)).Where(t => !IsConfigured(t.Name)).ToList();

    /// <summary>The names of every target now: configured ones, then the active managed ones.</summary>
    public async Task<IReadOnlyList<string>> Names(CancellationToken ct) =>
        [.. _configured.Select(a => a.Name), .. (await Managed(ct)).Select(t => t.Name)];
}

/// <summary>Builds the anchor of a managed target: an <see cref="EvmAnchor"/>, a <see cref="FabricAnchor"/> or a <see cref="Witnesses.WitnessAnchor"/>.</summary>
public sealed class AnchorTargetFactory(NpgsqlDataSource db, IClock clock, ILoggerFactory? logs = null)
{
    readonly ILoggerFactory _logs = logs ?? NullLoggerFactory.Instance;

    /// <summary>Throws (with a message for the target's status) when the definition cannot work, e.g. its key file is missing.</summary>
    public IAnchor Create(AnchorTargetDefinition target) => target.Kind switch
    {
        "evm" when target.Evm is { } e => new EvmAnchor(new EvmAnchorOptions
        {
            Name = target.Name, RpcUrl = e.RpcUrl, ChainId = e.ChainId, ContractAddress = e.ContractAddress,
            PrivateKeyFile = e.PrivateKeyFile, PrivateKeyEnv = e.PrivateKeyEnv, LegacyTransactions = e.LegacyTransactions,
        }, db, _logs.CreateLogger<EvmAnchor>()),
        "fabric" when target.Fabric is { } f => new NamedAnchor(target.Name, FabricAnchorRegistration.CreateFabricAnchor(new FabricAnchorOptions
        {
            Endpoint = f.Endpoint, TlsRootCertFile = f.TlsRootCertFile, TlsRootCertificatePem = f.TlsRootCertificatePem, TlsServerName = f.TlsServerName,
            MspId = f.MspId, CertificateFile = f.CertificateFile, PrivateKeyFile = f.PrivateKeyFile, Channel = f.Channel, Chaincode = f.Chaincode,
        }, db, clock)),
        "witness" when target.Witness is { } w => new Witnesses.WitnessAnchor(target.Name, w.Url, AssetLedger.Ledger.Witness.CosignerKey.Parse(w.VerifierKey), db, new PostgresMerkleTree(db)),
        _ => throw new InvalidOperationException($"Anchor target {target.Name} is of kind '{target.Kind}' without its {target.Kind} definition."),
    };

    /// <summary>An anchor under the target's name (a Fabric anchor names itself after its channel).</summary>
    sealed class NamedAnchor(string name, IAnchor inner) : IAnchor
    {
        public string Name => name;

        public async Task<AnchorReceipt> Submit(CheckpointToAnchor checkpoint, CancellationToken ct) =>
            await inner.Submit(checkpoint, ct) with { Anchor = name };
    }
}
