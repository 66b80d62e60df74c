using AssetLedger.Domain.Common;

namespace AssetLedger.Domain.Chains;

/// <summary>
/// The chain registry's commands as pure decisions. Only the operator changes it. Invariants: ids unique within their
/// alliance, target names unique across all alliances and never <c>local</c> (the embedded anchor); a network is Fabric
/// (channels, TLS roots) or EVM (chain id &gt; 0); a contract names a network of its alliance and, for Fabric, one of
/// its channels; a target names a contract of its alliance and credentials by file or variable name only; once a
/// target has been active its contract is fixed, because its cursor and receipts belong to that contract's history.
/// </summary>
public static class ChainDecider
{
    public const string StreamId = "chain-registry";

    public static Decision<IChainEvent> Decide(ChainRegistryState s, IChainCommand command)
    {
        if (!command.Actor.Has(Role.Operator)) return Fail(ChainErrors.NotOperator(command.Actor.Id));
        var by = command.Actor.Id;
        switch (command)
        {
            case RegisterAlliance c:
                if (First(ChainRules.Id(c.Alliance, "allianceId", "alliance"), ChainRules.Name(c.Name, "name"), ChainRules.Members(c.Members, [])) is { } e1) return Fail(e1);
                if (s.Alliances.ContainsKey(c.Alliance)) return Fail(ChainErrors.Exists("alliance", c.Alliance));
                return Ok(new AllianceRegistered(c.Alliance, c.Name.Trim(), [.. c.Members.Select(ChainRules.Normalised)], by, c.At));

            case AddAllianceMember c:
            {
                if (!s.Alliances.TryGetValue(c.Alliance, out var a)) return Fail(ChainErrors.NotFound("alliance", c.Alliance));
                if (ChainRules.Members([c.Member], a.Members, _ => "") is { } e) return Fail(e);
                return Ok(new AllianceMemberAdded(c.Alliance, ChainRules.Normalised(c.Member), by, c.At));
            }

            case RegisterNetwork c:
            {
                if (!s.Alliances.TryGetValue(c.Alliance, out var a)) return Fail(ChainErrors.NotFound("alliance", c.Alliance));
                if (First(ChainRules.Id(c.Network, "networkId", "network"), ChainRules.Name(c.Name, "name"), ChainRules.Endpoints(c.Endpoints), ChainRules.TlsRoots(c.TlsRootCertificates, c.Kind)) is { } e) return Fail(e);
                if (ChainRules.FabricTls(c.Kind, c.Endpoints, c.TlsRootCertificates) is { } tls) return Fail(tls);
                if (c.Kind == ChainKind.Evm && c.ChainId is not > 0) return Fail(ChainErrors.Invalid("chainId", "An EVM network needs its chainId, a whole number above 0."));
                if (c.Kind == ChainKind.Fabric && c.ChainId is not null) return Fail(ChainErrors.Invalid("chainId", "A Fabric network has channels, not a chainId."));
                if (a.Networks.ContainsKey(c.Network)) return Fail(ChainErrors.Exists("network", c.Network));
                return Ok(new NetworkRegistered(c.Alliance, c.Network, c.Name.Trim(), c.Kind, [.. c.Endpoints], [.. (c.TlsRootCertificates ?? []).Select(p => p.Trim())], c.ChainId, by, c.At));
            }

            case ChangeNetworkEndpoints c:
            {
                if (FindNetwork(s, c.Alliance, c.Network) is not { } n) return Fail(NetworkMissing(s, c.Alliance, c.Network));
                if (First(ChainRules.Endpoints(c.Endpoints), ChainRules.TlsRoots(c.TlsRootCertificates, n.Kind)) is { } e) return Fail(e);
                var roots = c.TlsRootCertificates is null ? n.TlsRootCertificates.ToList() : [.. c.TlsRootCertificates.Select(p => p.Trim())];
                if (ChainRules.FabricTls(n.Kind, c.Endpoints, roots) is { } tls) return Fail(tls);
                if (n.Endpoints.SequenceEqual(c.Endpoints) && n.TlsRootCertificates.SequenceEqual(roots)) return Fail(ChainErrors.NoChange());
                return Ok(new NetworkEndpointsChanged(c.Alliance, c.Network, [.. c.Endpoints], roots, by, c.At));
            }

            case AddChannel c:
            {
                if (FindNetwork(s, c.Alliance, c.Network) is not { } n) return Fail(NetworkMissing(s, c.Alliance, c.Network));
                if (n.Kind != ChainKind.Fabric) return Fail(ChainErrors.Invalid("name", $"Network '{n.Id}' is an EVM chain: it has a chain id ({n.ChainId}), not channels."));
                if (ChainRules.Channel(c.Channel, "name") is { } e) return Fail(e);
                if (n.Channels.Contains(c.Channel)) return Fail(ChainErrors.Exists("channel", c.Channel));
                return Ok(new ChannelAdded(c.Alliance, c.Network, c.Channel, by, c.At));
            }

            case RegisterContract c:
            {
                if (!s.Alliances.TryGetValue(c.Alliance, out var a)) return Fail(ChainErrors.NotFound("alliance", c.Alliance));
                if (First(ChainRules.Id(c.Contract, "contractId", "contract"), ChainRules.AbiVersion(c.AbiVersion)) is { } e) return Fail(e);
                if (c.Network is null || !a.Networks.TryGetValue(c.Network, out var n)) return Fail(ChainErrors.UnknownReference("networkId", "network", c.Network, a.Id));
                if (n.Kind == ChainKind.Fabric)
                {
                    if (c.Address is not null) return Fail(ChainErrors.Invalid("address", "A Fabric contract is a chaincode on a channel; it has no address."));
                    if (First(ChainRules.Channel(c.Channel, "channel"), ChainRules.Chaincode(c.Chaincode)) is { } fe) return Fail(fe);
                    if (!n.Channels.Contains(c.Channel!)) return Fail(ChainErrors.UnknownReference("channel", "channel", c.Channel, $"{a.Id}/{n.Id}"));
                }
                else
                {
                    if (c.Channel is not null || c.Chaincode is not null) return Fail(ChainErrors.Invalid(c.Channel is not null ? "channel" : "chaincode", "An EVM contract has an address (or is deployed on first use), not a channel or chaincode."));
                    if (ChainRules.Address(c.Address) is { } ee) return Fail(ee);
                }
                if (a.Contracts.ContainsKey(c.Contract)) return Fail(ChainErrors.Exists("contract", c.Contract));
                return Ok(new ContractRegistered(c.Alliance, c.Contract, c.Network, c.Channel, c.Chaincode, c.Address, c.AbiVersion, by, c.At));
            }

            case DefineTarget c:
            {
                if (!s.Alliances.TryGetValue(c.Alliance, out var a)) return Fail(ChainErrors.NotFound("alliance", c.Alliance));
                if (TargetNameError(c.Target) is { } e) return Fail(e);
                if (c.Contract is null || !a.Contracts.TryGetValue(c.Contract, out var contract)) return Fail(ChainErrors.UnknownReference("contractId", "contract", c.Contract, a.Id));
                if (ChainRules.Credentials(c.Credentials, c.LegacyTransactions, a.Networks[contract.Network].Kind, a) is { } ce) return Fail(ce);
                if (s.Targets.TryGetValue(c.Target, out var taken)) return Fail(ChainErrors.TargetExists(c.Target, taken.Alliance));
                return Ok(new TargetDefined(c.Target, c.Alliance, c.Contract, c.Credentials, c.LegacyTransactions, by, c.At));
            }

            case ChangeTargetContract c:
            {
                if (!s.Targets.TryGetValue(c.Target ?? "", out var t)) return Fail(ChainErrors.NotFound("target", c.Target));
                var a = s.Alliances[t.Alliance];
                if (c.Contract is null || !a.Contracts.TryGetValue(c.Contract, out var contract)) return Fail(ChainErrors.UnknownReference("contractId", "contract", c.Contract, a.Id));
                if (t.EverActivated) return Fail(ChainErrors.IdentityFixed(t.Name, t.Contract));
                if (t.Contract == c.Contract) return Fail(ChainErrors.NoChange());
                if (a.Networks[contract.Network].Kind != a.Networks[a.Contracts[t.Contract].Network].Kind)
                    return Fail(ChainErrors.Invalid("contractId", $"Contract '{c.Contract}' is on another kind of chain; its credentials would not fit: define a new target."));
                return Ok(new TargetContractChanged(t.Name, c.Contract, by, c.At));
            }

            case ChangeTargetCredentials c:
            {
                if (s.Resolve(c.Target ?? "") is not { } r) return Fail(ChainErrors.NotFound("target", c.Target));
                if (ChainRules.Credentials(c.Credentials, c.LegacyTransactions, r.Network.Kind, r.Alliance) is { } ce) return Fail(ce);
                if (r.Target.Credentials == c.Credentials && r.Target.LegacyTransactions == c.LegacyTransactions) return Fail(ChainErrors.NoChange());
                return Ok(new TargetCredentialsChanged(r.Target.Name, c.Credentials, c.LegacyTransactions, by, c.At));
            }

            case ActivateTarget c:
                if (!s.Targets.TryGetValue(c.Target ?? "", out var toActivate)) return Fail(ChainErrors.NotFound("target", c.Target));
                if (toActivate.Active) return Fail(new DomainError("chain.target_active", $"Target '{c.Target}' is already active.", ErrorKind.Conflict));
                return Ok(new TargetActivated(c.Target!, by, c.At));

            case DeactivateTarget c:
                if (!s.Targets.TryGetValue(c.Target ?? "", out var toDeactivate)) return Fail(ChainErrors.NotFound("target", c.Target));
                if (!toDeactivate.Active) return Fail(new DomainError("chain.target_inactive", $"Target '{c.Target}' is not active.", ErrorKind.Conflict));
                return Ok(new TargetDeactivated(c.Target!, by, c.At));

            case RegisterWitness or ActivateWitness or DeactivateWitness:
                return WitnessRules.Decide(s, command) is { } we ? Fail(we) : Ok(WitnessRules.Event(command, by));

            default:
                throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "No decision for this command.");
        }
    }

    static DomainError? TargetNameError(string? name) =>
        name == ChainRules.ReservedTarget
            ? ChainErrors.Invalid("name", "'local' is the embedded anchor's name and is reserved; choose another target name.")
            : ChainRules.Id(name, "name", "anchor target");

    static NetworkRecord? FindNetwork(ChainRegistryState s, string alliance, string network) =>
        s.Alliances.TryGetValue(alliance ?? "", out var a) && a.Networks.TryGetValue(network ?? "", out var n) ? n : null;

    static DomainError NetworkMissing(ChainRegistryState s, string alliance, string network) =>
        s.Alliances.ContainsKey(alliance ?? "") ? ChainErrors.NotFound("network", network) : ChainErrors.NotFound("alliance", alliance);

    static DomainError? First(params DomainError?[] errors) => errors.FirstOrDefault(e => e is not null);

    static Decision<IChainEvent> Ok(IChainEvent e) => Decision<IChainEvent>.Of(e);
    static Decision<IChainEvent> Fail(DomainError e) => e;
}

public static class ChainErrors
{
    public static DomainError Invalid(string field, string message) => new("chain.invalid", message, ErrorKind.Invalid, field);
    public static DomainError NotOperator(ParticipantId actor) => new("chain.not_operator", $"Only the platform operator manages chains; {actor} is not the operator.", ErrorKind.Forbidden);
    public static DomainError Exists(string what, string id) => new($"chain.{what}_exists", $"A {what} '{id}' already exists; choose another id.", ErrorKind.Conflict);
    public static DomainError NotFound(string what, string? id) => new($"chain.{what}_not_found", $"There is no {what} '{id}'.", ErrorKind.NotFound);
    public static DomainError UnknownReference(string field, string what, string? id, string where) =>
        new($"chain.unknown_{what}", id is null ? $"{field} is required: a {what} of {where}." : $"{field} '{id}' is not a {what} of {where}; register it first.", ErrorKind.Invalid, field);
    public static DomainError MemberExists(string member, string field) => new("chain.member_exists", $"The alliance already has a member {member}; members are unique.", ErrorKind.Conflict, field);
    public static DomainError TargetExists(string name, string alliance) =>
        new("chain.target_exists", $"The target name '{name}' is taken (alliance '{alliance}'); target names are unique across all alliances.", ErrorKind.Conflict, "name");
    public static DomainError IdentityFixed(string name, string contract) => new("chain.target_identity_fixed",
        $"Target '{name}' has been active on contract '{contract}', and its cursor and receipts refer to that contract's history; define a new target name for another contract.", ErrorKind.Conflict, "contractId");
    public static DomainError NoChange() => new("chain.no_change", "The command changes nothing.", ErrorKind.Invalid);
    public static DomainError SecretValue(string field, string why) => new("chain.secret_value",
        $"{field} {why}. The registry never stores secrets: put the key in a file or an environment variable and give its name (privateKeyFile / privateKeyEnv / certificateFile) instead.",
        ErrorKind.Invalid, field);
}
