using AssetLedger.Domain.Common;

namespace AssetLedger.Domain.Chains;

// Witnesses live in the chain registry beside the anchor targets, because the anchor worker runs them the same way
// (a cursor, retries, a status each) and their names share the anchor namespace as "witness:<name>".

/// <summary>A witness the registry submits every checkpoint to: where it answers add-checkpoint and the key its cosignatures verify with.</summary>
public sealed record RegisterWitness(string Witness, string Url, string VerifierKey, Actor Actor, DateTimeOffset At) : IChainCommand;
public sealed record ActivateWitness(string Witness, Actor Actor, DateTimeOffset At) : IChainCommand;
public sealed record DeactivateWitness(string Witness, Actor Actor, DateTimeOffset At) : IChainCommand;

/// <summary>The operator recorded a witness (tlog-witness): from now on every checkpoint is submitted to it.</summary>
[StoredEvent("chain-witness-registered")]
public sealed record WitnessRegistered(string Witness, string Url, string VerifierKey, ParticipantId By, DateTimeOffset At) : IChainEvent;

[StoredEvent("chain-witness-activated")]
public sealed record WitnessActivated(string Witness, ParticipantId By, DateTimeOffset At) : IChainEvent;

/// <summary>No further checkpoint goes to this witness; its cursor and cosignatures stay.</summary>
[StoredEvent("chain-witness-deactivated")]
public sealed record WitnessDeactivated(string Witness, ParticipantId By, DateTimeOffset At) : IChainEvent;

/// <param name="Revision">The registry version at which it was registered: its URL and key never change (a new key is a new witness).</param>
public sealed record WitnessRecord(string Name, string Url, string VerifierKey, bool Active, long Revision)
{
    /// <summary>The name of its anchor cursor: <c>witness:&lt;name&gt;</c>, never a target name (those have no ':').</summary>
    public string AnchorName => WitnessRules.AnchorPrefix + Name;
}

public static class WitnessRules
{
    public const string AnchorPrefix = "witness:";

    public static DomainError? Decide(ChainRegistryState s, IChainCommand command) => command switch
    {
        RegisterWitness c => ChainRules.Id(c.Witness, "name", "witness")
            ?? Url(c.Url)
            ?? Key(c.VerifierKey)
            ?? (s.Witnesses.ContainsKey(c.Witness) ? ChainErrors.Exists("witness", c.Witness) : null),
        ActivateWitness c => !s.Witnesses.TryGetValue(c.Witness ?? "", out var w) ? ChainErrors.NotFound("witness", c.Witness)
            : w.Active ? new DomainError("chain.witness_active", $"Witness '{c.Witness}' is already active.", ErrorKind.Conflict) : null,
        DeactivateWitness c => !s.Witnesses.TryGetValue(c.Witness ?? "", out var w) ? ChainErrors.NotFound("witness", c.Witness)
            : !w.Active ? new DomainError("chain.witness_inactive", $"Witness '{c.Witness}' is not active.", ErrorKind.Conflict) : null,
        _ => null,
    };

    public static IChainEvent Event(IChainCommand command, ParticipantId by) => command switch
    {
        RegisterWitness c => new WitnessRegistered(c.Witness, c.Url.TrimEnd('/'), c.VerifierKey.Trim(), by, c.At),
        ActivateWitness c => new WitnessActivated(c.Witness, by, c.At),
        DeactivateWitness c => new WitnessDeactivated(c.Witness, by, c.At),
        _ => throw new ArgumentOutOfRangeException(nameof(command)),
    };

    /// <summary>The submission prefix: add-checkpoint is POSTed to <c>{url}/add-checkpoint</c>.</summary>
    static DomainError? Url(string? url) => ChainRules.Endpoints(url is null ? null : [url]) is null ? null
        : ChainErrors.Invalid("url", "url must be the witness's absolute http:// or https:// submission prefix, without credentials.");

    /// <summary>The shape of a cosignature/v1 verifier key (name+8 hex+base64); the Application checks that it parses as one.</summary>
    static DomainError? Key(string? key)
    {
        var parts = key?.Trim().Split('+', 3) ?? [];
        return key is { Length: <= ChainLimits.VerifierKey } && parts.Length == 3 && parts[0].Length is > 0 and <= 200 && parts[1].Length == 8 && parts[1].All(Uri.IsHexDigit) && parts[2].Length is > 40 and < 100
            ? null : ChainErrors.Invalid("verifierKey", "verifierKey must be the witness's verifier key, name+8 hex digits+base64 (as `assetledger witness key` prints it).");
    }
}
