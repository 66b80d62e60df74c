using System.Text.RegularExpressions;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Participants;

namespace AssetLedger.Domain.Chains;

/// <summary>The shape of each value in the chain registry; a failing rule names the request field it is about.</summary>
public static partial class ChainRules
{
    public const string ReservedTarget = "local";

    [GeneratedRegex(@"\A" + ChainLimits.IdCore + @"\z")] private static partial Regex IdPattern();
    [GeneratedRegex(@"\A" + ChainLimits.MspIdCore + @"\z")] private static partial Regex MspIdPattern();
    [GeneratedRegex(@"\A" + ChainLimits.ChannelCore + @"\z")] private static partial Regex ChannelPattern();
    [GeneratedRegex(@"\A" + ChainLimits.ChaincodeCore + @"\z")] private static partial Regex ChaincodePattern();
    [GeneratedRegex(@"\A" + ChainLimits.AddressCore + @"\z")] private static partial Regex AddressPattern();
    [GeneratedRegex(@"\A" + ChainLimits.AbiVersionCore + @"\z")] private static partial Regex AbiVersionPattern();
    [GeneratedRegex(@"\A" + ChainLimits.EnvCore + @"\z")] private static partial Regex EnvPattern();
    [GeneratedRegex(@"\A[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?\z")] private static partial Regex HostPattern();
    [GeneratedRegex(@"\A(0x)?[0-9a-fA-F]{64}\z")] private static partial Regex HexKeyPattern();

    public static DomainError? Id(string? value, string field, string what) => value is not null && IdPattern().IsMatch(value) ? null
        : ChainErrors.Invalid(field, $"{field} must name the {what}: 1–64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit.");

    public static DomainError? Name(string? value, string field) => !string.IsNullOrWhiteSpace(value) && value.Trim().Length <= ChainLimits.Name && !value.Any(char.IsControl) ? null
        : ChainErrors.Invalid(field, $"{field} is required (1–{ChainLimits.Name} characters, no control characters).");

    /// <param name="prefix">How the request names member i's fields: <c>members[i].</c> in a new alliance, nothing when one member is added.</param>
    public static DomainError? Members(IReadOnlyList<AllianceMember>? members, IReadOnlyList<AllianceMember> existing, Func<int, string>? prefix = null)
    {
        prefix ??= i => $"members[{i}].";
        if (members is null || members.Count == 0) return ChainErrors.Invalid("members", "An alliance has at least one member organisation.");
        if (members.Count + existing.Count > ChainLimits.Members) return ChainErrors.Invalid("members", $"An alliance has at most {ChainLimits.Members} members.");
        var all = existing.ToList();
        for (var i = 0; i < members.Count; i++)
        {
            var m = members[i];
            var p = prefix(i);
            if (m is null) return ChainErrors.Invalid(p.TrimEnd('.'), $"{p.TrimEnd('.')} is empty.");
            if (Name(m.Name, p + "name") is { } bad) return bad;
            if (m.MspId is not null && !MspIdPattern().IsMatch(m.MspId))
                return ChainErrors.Invalid(p + "mspId", $"{p}mspId must be a Fabric MSP id: 1–64 letters, digits, '.', '_' or '-'.");
            if (m.ParticipantId is not null && !ParticipantId.IsWellFormed(m.ParticipantId))
                return ChainErrors.Invalid(p + "participantId", $"{p}participantId must be a participant id (1–64 lower-case letters, digits, '-', '_', '.').");
            if (all.Any(o => string.Equals(o.Name.Trim(), m.Name.Trim(), StringComparison.OrdinalIgnoreCase)))
                return ChainErrors.MemberExists(m.Name.Trim(), p + "name");
            if (m.MspId is not null && all.Any(o => o.MspId == m.MspId)) return ChainErrors.MemberExists($"with MSP {m.MspId}", p + "mspId");
            all.Add(m);
        }
        return null;
    }

    public static AllianceMember Normalised(AllianceMember m) => m with { Name = m.Name.Trim() };

    /// <summary>Absolute http(s) URLs without credentials in them: an RPC key in a URL would be a secret in the log.</summary>
    public static DomainError? Endpoints(IReadOnlyList<string>? endpoints)
    {
        if (endpoints is null || endpoints.Count is 0 or > ChainLimits.Endpoints) return ChainErrors.Invalid("endpoints", $"endpoints must list 1–{ChainLimits.Endpoints} URLs.");
        for (var i = 0; i < endpoints.Count; i++)
        {
            var e = endpoints[i];
            if (e is null || e.Length > ChainLimits.Url || !Uri.TryCreate(e, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
                return ChainErrors.Invalid($"endpoints[{i}]", $"endpoints[{i}] must be an absolute http:// or https:// URL of at most {ChainLimits.Url} characters.");
            if (uri.UserInfo.Length > 0)
                return ChainErrors.Invalid($"endpoints[{i}]", $"endpoints[{i}] carries credentials (user:password@); the registry stores no secret, so give the endpoint without them.");
        }
        if (endpoints.Distinct(StringComparer.OrdinalIgnoreCase).Count() != endpoints.Count) return ChainErrors.Invalid("endpoints", "endpoints must be distinct.");
        return null;
    }

    /// <summary>Public CA certificates only; a private key pasted here is refused like any other secret.</summary>
    public static DomainError? TlsRoots(IReadOnlyList<string>? pems, ChainKind kind)
    {
        if (pems is null || pems.Count == 0) return null;
        if (kind == ChainKind.Evm) return ChainErrors.Invalid("tlsRootCertificates", "tlsRootCertificates are for Fabric networks; an EVM endpoint uses the system's trusted roots.");
        if (pems.Count > ChainLimits.TlsRoots) return ChainErrors.Invalid("tlsRootCertificates", $"At most {ChainLimits.TlsRoots} TLS root certificates.");
        for (var i = 0; i < pems.Count; i++)
        {
            var p = pems[i]?.Trim();
            var field = $"tlsRootCertificates[{i}]";
            if (p is not null && p.Contains("PRIVATE KEY", StringComparison.Ordinal))
                return ChainErrors.SecretValue(field, "holds a private key; only the peers' public CA certificates belong here");
            if (p is null || p.Length > ChainLimits.Pem || !p.StartsWith("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal) || !p.EndsWith("-----END CERTIFICATE-----", StringComparison.Ordinal))
                return ChainErrors.Invalid(field, $"{field} must be a PEM certificate ('-----BEGIN CERTIFICATE-----' … '-----END CERTIFICATE-----').");
        }
        return null;
    }

    /// <summary>A Fabric peer over TLS is trusted through the roots given here (as <c>TlsRootCertFile</c> in configuration).</summary>
    public static DomainError? FabricTls(ChainKind kind, IReadOnlyList<string> endpoints, IReadOnlyList<string>? roots) =>
        kind == ChainKind.Fabric && endpoints.Any(e => e.StartsWith("https:", StringComparison.OrdinalIgnoreCase)) && roots is not { Count: > 0 }
            ? ChainErrors.Invalid("tlsRootCertificates", "A Fabric network reached over https needs tlsRootCertificates: the PEM certificate of the CA that issued its peers' TLS certificates.")
            : null;

    public static DomainError? Channel(string? value, string field) => value is not null && ChannelPattern().IsMatch(value) ? null
        : ChainErrors.Invalid(field, $"{field} must be a Fabric channel name: lower-case letters, digits, '.' and '-', starting with a letter.");

    public static DomainError? Chaincode(string? value) => value is not null && value.Length <= ChainLimits.Chaincode && ChaincodePattern().IsMatch(value) ? null
        : ChainErrors.Invalid("chaincode", "chaincode must be a chaincode name: letters and digits, single '-' or '_' between them.");

    public static DomainError? Address(string? value) => value is null || AddressPattern().IsMatch(value) ? null
        : ChainErrors.Invalid("address", "address must be an EVM contract address (0x and 40 hex digits), or left out to deploy the contract on first use.");

    public static DomainError? AbiVersion(string? value) => value is not null && AbiVersionPattern().IsMatch(value) ? null
        : ChainErrors.Invalid("abiVersion", "abiVersion is required: 1–32 letters, digits, '.', '_' or '-' (e.g. '1').");

    /// <summary>A value that is a key itself rather than the name of where one is kept: 64 hex digits, or PEM text.</summary>
    public static bool LooksLikeKeyMaterial(string value)
    {
        var v = value.Trim();
        return HexKeyPattern().IsMatch(v) || v.Contains("-----BEGIN", StringComparison.Ordinal) || v.Contains("PRIVATE KEY", StringComparison.Ordinal);
    }

    public static DomainError? Credentials(TargetCredentials? c, bool legacyTransactions, ChainKind kind, AllianceRecord alliance)
    {
        if (c is null) return ChainErrors.Invalid("credentials", "credentials are required: the names of the files or environment variables that hold the signing secrets.");
        foreach (var (field, value) in new[] { ("privateKeyFile", c.PrivateKeyFile), ("privateKeyEnv", c.PrivateKeyEnv), ("certificateFile", c.CertificateFile) })
            if (value is not null && LooksLikeKeyMaterial(value))
                return ChainErrors.SecretValue("credentials." + field, "looks like key material itself");
        foreach (var (field, value) in new[] { ("privateKeyFile", c.PrivateKeyFile), ("certificateFile", c.CertificateFile) })
            if (value is not null && (string.IsNullOrWhiteSpace(value) || value.Length > ChainLimits.Path || value.Any(char.IsControl)))
                return ChainErrors.Invalid("credentials." + field, $"credentials.{field} must be a file path (1–{ChainLimits.Path} characters, no control characters).");
        if (c.PrivateKeyEnv is not null && !EnvPattern().IsMatch(c.PrivateKeyEnv))
            return ChainErrors.Invalid("credentials.privateKeyEnv", "credentials.privateKeyEnv must be an environment variable name (letters, digits and '_', not starting with a digit).");
        if (kind == ChainKind.Evm)
        {
            if ((c.PrivateKeyFile is null) == (c.PrivateKeyEnv is null))
                return ChainErrors.Invalid("credentials", "An EVM target names exactly one of credentials.privateKeyFile or credentials.privateKeyEnv.");
            if (c.CertificateFile is not null || c.MspId is not null || c.TlsServerName is not null)
                return ChainErrors.Invalid("credentials", "certificateFile, mspId and tlsServerName are for Fabric targets; an EVM target signs with its account key only.");
            return null;
        }
        if (c.PrivateKeyEnv is not null) return ChainErrors.Invalid("credentials.privateKeyEnv", "A Fabric target reads its private key from credentials.privateKeyFile (PEM), not from a variable.");
        if (legacyTransactions) return ChainErrors.Invalid("legacyTransactions", "legacyTransactions is for EVM targets.");
        if (c.MspId is null) return ChainErrors.Invalid("credentials.mspId", "A Fabric target needs credentials.mspId, the MSP of its client identity.");
        if (c.CertificateFile is null) return ChainErrors.Invalid("credentials.certificateFile", "A Fabric target needs credentials.certificateFile, its client certificate (PEM file).");
        if (c.PrivateKeyFile is null) return ChainErrors.Invalid("credentials.privateKeyFile", "A Fabric target needs credentials.privateKeyFile, its client private key (PEM file).");
        if (alliance.Members.All(m => m.MspId != c.MspId))
            return ChainErrors.Invalid("credentials.mspId", $"credentials.mspId '{c.MspId}' is not the MSP of a member of alliance '{alliance.Id}'; add the member first.");
        if (c.TlsServerName is not null && !HostPattern().IsMatch(c.TlsServerName))
            return ChainErrors.Invalid("credentials.tlsServerName", "credentials.tlsServerName must be a host name.");
        return null;
    }
}
