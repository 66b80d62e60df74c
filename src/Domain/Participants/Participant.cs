using System.Collections.Immutable;
using AssetLedger.Domain.Common;

namespace AssetLedger.Domain.Participants;

/// <summary>A participant (organisation) folded from its events. Minimal until identity verification arrives.</summary>
public sealed record ParticipantState
{
    public static readonly ParticipantState Initial = new();

    public ParticipantId Id { get; init; }
    public string Name { get; init; } = "";
    public ImmutableSortedSet<Role> Roles { get; init; } = [];
    public long Version { get; init; }
    public bool Exists => Version > 0;

    public static ParticipantState Evolve(ParticipantState s, IParticipantEvent e) => (e switch
    {
        ParticipantRegistered r => s with { Id = r.Participant, Name = r.Name, Roles = [.. r.Roles] },
        _ => throw new InvalidOperationException($"No fold for {e.GetType().Name}."),
    }) with { Version = s.Version + 1 };
}

public sealed record RegisterParticipant(ParticipantId Participant, string Name, IReadOnlyList<Role> Roles, Actor Actor, DateTimeOffset At);

public static class ParticipantDecider
{
    public static string StreamOf(ParticipantId id) => $"participant-{id.Value}";

    public static (IReadOnlyList<IParticipantEvent> Events, DomainError? Error) Register(ParticipantState s, RegisterParticipant c)
    {
        if (!c.Actor.Has(Role.Operator)) return ([], ParticipantErrors.NotOperator(c.Actor.Id));
        if (!ParticipantId.IsWellFormed(c.Participant.Value) || c.Participant == ParticipantId.System)
            return ([], ParticipantErrors.Invalid("id", "id must be 1–64 characters of lower-case letters, digits, '-', '_' or '.', and not 'system'."));
        if (string.IsNullOrWhiteSpace(c.Name) || c.Name.Length > 200) return ([], ParticipantErrors.Invalid("name", "name is required (1–200 characters)."));
        if (c.Roles.Count == 0) return ([], ParticipantErrors.Invalid("roles", "At least one role is required."));
        if (c.Roles.Contains(Role.System)) return ([], ParticipantErrors.Invalid("roles", "The System role belongs to the registry itself and cannot be granted."));
        if (s.Exists) return ([], ParticipantErrors.Exists(c.Participant));
        return ([new ParticipantRegistered(c.Participant, c.Name.Trim(), c.Roles.Distinct().Order().ToList(), c.Actor.Id, c.At)], null);
    }
}

public static class ParticipantErrors
{
    public static DomainError Invalid(string field, string message) => new("participant.invalid", message, ErrorKind.Invalid, field);
    public static DomainError NotOperator(ParticipantId actor) => new("participant.not_operator", $"Only the platform operator registers participants; {actor} is not the operator.", ErrorKind.Forbidden);
    public static DomainError Exists(ParticipantId id) => new("participant.exists", $"Participant '{id}' is already registered; choose another id.", ErrorKind.Conflict);
    public static DomainError NotFound(ParticipantId id) => new("participant.not_found", $"Participant '{id}' is not registered.", ErrorKind.NotFound);
}
