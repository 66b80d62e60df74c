namespace AssetLedger.Domain.Chains;

/// <summary>The two families of chain a checkpoint can be anchored on.</summary>
public enum ChainKind { Fabric, Evm }

/// <summary>An organisation of a consortium (联盟成员): its Fabric MSP id when it runs Fabric, the registry participant it is, if any.</summary>
public sealed record AllianceMember(string Name, string? MspId = null, string? ParticipantId = null);

/// <summary>
/// How a target signs on its chain, by reference only: the names of the files or environment variables that hold
/// the secrets. The secrets themselves never enter a command, an event or an answer.
/// </summary>
/// <param name="PrivateKeyFile">EVM: the file with the account's key (hex). Fabric: the client identity's private key (PEM file).</param>
/// <param name="PrivateKeyEnv">EVM only: an environment variable holding the account's key, instead of a file.</param>
/// <param name="CertificateFile">Fabric only: the client identity's X.509 certificate (PEM file).</param>
/// <param name="MspId">Fabric only: the MSP the client identity belongs to; a member of the alliance.</param>
/// <param name="TlsServerName">Fabric only: the host name the peer's TLS certificate is issued for, when it differs from the endpoint's.</param>
public sealed record TargetCredentials(
    string? PrivateKeyFile = null, string? PrivateKeyEnv = null, string? CertificateFile = null, string? MspId = null, string? TlsServerName = null);
