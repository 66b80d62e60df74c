using System.ComponentModel.DataAnnotations;
using AssetLedger.Domain.Chains;

namespace AssetLedger.Api.Contracts;

/// <summary>A consortium (区块链联盟) and its member organisations.</summary>
public sealed record RegisterAllianceRequest([property: MaxLength(ChainLimits.Id), RegularExpression(ChainLimits.IdPattern)] string? AllianceId, [property: MaxLength(ChainLimits.Name)] string? Name,
    [property: MaxLength(ChainLimits.Members)] IReadOnlyList<AllianceMemberRequest>? Members);

/// <param name="MspId">The member's Fabric MSP id, when it runs Fabric peers.</param>
/// <param name="ParticipantId">The registry participant the member is, if any.</param>
public sealed record AllianceMemberRequest([property: MaxLength(ChainLimits.Name)] string? Name, [property: MaxLength(ChainLimits.Id), RegularExpression(ChainLimits.MspIdPattern)] string? MspId = null,
    [property: MaxLength(Domain.Common.ParticipantId.MaxLength), RegularExpression(Domain.Common.ParticipantId.Pattern)] string? ParticipantId = null);

/// <param name="Kind"><c>fabric</c> or <c>evm</c>.</param>
/// <param name="TlsRootCertificates">Fabric: the PEM certificates of the CAs that issued the peers' TLS certificates (public; required for https).</param>
/// <param name="ChainId">EVM: the chain id (&gt; 0).</param>
public sealed record RegisterNetworkRequest([property: MaxLength(ChainLimits.Id), RegularExpression(ChainLimits.IdPattern)] string? NetworkId, [property: MaxLength(ChainLimits.Name)] string? Name, [property: OneOf("fabric", "evm")] string? Kind,
    [property: MaxLength(ChainLimits.Endpoints)] IReadOnlyList<string>? Endpoints,
    [property: MaxLength(ChainLimits.TlsRoots)] IReadOnlyList<string>? TlsRootCertificates = null, [property: Range(1, long.MaxValue)] long? ChainId = null);

/// <summary>New endpoints; new TLS roots too, or omit them to keep the current ones.</summary>
public sealed record NetworkEndpointsRequest([property: MaxLength(ChainLimits.Endpoints)] IReadOnlyList<string>? Endpoints,
    [property: MaxLength(ChainLimits.TlsRoots)] IReadOnlyList<string>? TlsRootCertificates = null);

/// <summary>A Fabric channel of the network.</summary>
public sealed record ChannelRequest([property: MaxLength(ChainLimits.Channel), RegularExpression(ChainLimits.ChannelPattern)] string? Name);

/// <summary>Fabric: channel and chaincode. EVM: the contract's address, or none to deploy it on first use.</summary>
public sealed record RegisterContractRequest([property: MaxLength(ChainLimits.Id), RegularExpression(ChainLimits.IdPattern)] string? ContractId, [property: MaxLength(ChainLimits.Id), RegularExpression(ChainLimits.IdPattern)] string? NetworkId,
    [property: MaxLength(ChainLimits.AbiVersion), RegularExpression(ChainLimits.AbiVersionPattern)] string? AbiVersion,
    [property: MaxLength(ChainLimits.Channel), RegularExpression(ChainLimits.ChannelPattern)] string? Channel = null,
    [property: MaxLength(ChainLimits.Chaincode), RegularExpression(ChainLimits.ChaincodePattern)] string? Chaincode = null,
    [property: RegularExpression(ChainLimits.AddressPattern)] string? Address = null);

/// <summary>
/// Where a target's secrets are, by name only: a file path or an environment variable, never the key itself (a value
/// that looks like a key is refused with 422). EVM: privateKeyFile or privateKeyEnv. Fabric: mspId, certificateFile,
/// privateKeyFile, and tlsServerName when the peer's certificate names another host.
/// </summary>
public sealed record TargetCredentialsRequest([property: MaxLength(ChainLimits.Path)] string? PrivateKeyFile = null,
    [property: MaxLength(ChainLimits.EnvName), RegularExpression(ChainLimits.EnvPattern)] string? PrivateKeyEnv = null,
    [property: MaxLength(ChainLimits.Path)] string? CertificateFile = null, [property: MaxLength(ChainLimits.Id), RegularExpression(ChainLimits.MspIdPattern)] string? MspId = null,
    [property: MaxLength(ChainLimits.Host)] string? TlsServerName = null)
{
    public TargetCredentials ToDomain() => new(PrivateKeyFile, PrivateKeyEnv, CertificateFile, MspId, TlsServerName);
}

/// <summary>A named anchor target: a contract of the alliance and its credentials. Names are unique across alliances; <c>local</c> is reserved.</summary>
/// <param name="LegacyTransactions">EVM: send pre-EIP-1559 (type 0) transactions, for chains without a base fee.</param>
public sealed record DefineTargetRequest([property: MaxLength(ChainLimits.Id), RegularExpression(ChainLimits.IdPattern)] string? Name, [property: MaxLength(ChainLimits.Id), RegularExpression(ChainLimits.IdPattern)] string? ContractId, TargetCredentialsRequest? Credentials, bool? LegacyTransactions = null);

public sealed record TargetCredentialsChangeRequest(TargetCredentialsRequest? Credentials, bool? LegacyTransactions = null);

/// <summary>Another contract for a target that has never been active.</summary>
public sealed record TargetContractRequest([property: MaxLength(ChainLimits.Id), RegularExpression(ChainLimits.IdPattern)] string? ContractId);

/// <summary>true: anchor every checkpoint on this target from now on; false: stop.</summary>
public sealed record TargetActivationRequest(bool? Active);

public sealed record ChainRegistryView(long Version, IReadOnlyList<AllianceView> Alliances);

public sealed record AllianceView(string AllianceId, string Name, IReadOnlyList<AllianceMemberView> Members, IReadOnlyList<NetworkView> Networks,
    IReadOnlyList<ContractView> Contracts, IReadOnlyList<TargetView> Targets);

public sealed record AllianceMemberView(string Name, string? MspId, string? ParticipantId);

public sealed record NetworkView(string NetworkId, string Name, string Kind, IReadOnlyList<string> Endpoints, IReadOnlyList<string> TlsRootCertificates,
    long? ChainId, IReadOnlyList<string> Channels);

/// <param name="DeployOnFirstUse">EVM: no address was given; each target using the contract deploys it on its first checkpoint.</param>
public sealed record ContractView(string ContractId, string NetworkId, string Kind, string AbiVersion, string? Channel, string? Chaincode, string? Address, bool DeployOnFirstUse);

/// <summary>File and variable names only; the registry holds no secret.</summary>
public sealed record TargetCredentialsView(string? PrivateKeyFile, string? PrivateKeyEnv, string? CertificateFile, string? MspId, string? TlsServerName);

/// <param name="IdentityFixed">The target has been active: its contract can no longer change (its receipts refer to it).</param>
/// <param name="Revision">Changes whenever the target's definition (its network, contract or credentials) changes.</param>
/// <param name="ContractAddress">EVM: the configured address, or the one the target deployed on first use (null until then).</param>
/// <param name="Anchoring">What the anchor worker has done with the target so far; null before its first attempt.</param>
public sealed record TargetView(string Name, string AllianceId, string NetworkId, string Kind, string ContractId, bool Active, bool IdentityFixed, long Revision,
    TargetCredentialsView Credentials, bool LegacyTransactions, long? ChainId, string? Channel, string? Chaincode, string? ContractAddress, TargetAnchoringView? Anchoring);

public sealed record TargetListView(IReadOnlyList<TargetView> Items);

/// <param name="AnchoredSize">The tree size of the last checkpoint anchored on the target.</param>
public sealed record TargetAnchoringView(long AnchoredSize, int Failures, string? LastError, DateTimeOffset? FailingSince);

/// <param name="Url">The witness's submission prefix: checkpoints are POSTed to <c>{url}/add-checkpoint</c>.</param>
/// <param name="VerifierKey">Its cosignature/v1 verifier key, as <c>assetledger witness key</c> prints it.</param>
public sealed record RegisterWitnessRequest([property: MaxLength(ChainLimits.Id), RegularExpression(ChainLimits.IdPattern)] string? Name, [property: MaxLength(ChainLimits.Url)] string? Url,
    [property: MaxLength(ChainLimits.VerifierKey)] string? VerifierKey);

/// <param name="Anchor">The name of its cursor in the ledger's anchor progress (<c>witness:&lt;name&gt;</c>).</param>
/// <param name="Cosigning">How far it has cosigned, whether it is failing and why; null before its first run.</param>
public sealed record WitnessView(string Name, string Anchor, string Url, string VerifierKey, bool Active, TargetAnchoringView? Cosigning);

public sealed record WitnessListView(IReadOnlyList<WitnessView> Witnesses);
