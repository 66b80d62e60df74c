using System.Security.Cryptography;
using AssetLedger.Application.Assets;
using AssetLedger.Application.Commands;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Registrations;
using Mediator;

namespace AssetLedger.Application.Registrations;

public sealed record ExecuteRegistrationCommand(IRegistrationCommand Command, CommandContext Context) : ICommand<CommandOutcome<RegistrationState>>;

/// <summary>Load the registration, decide, append with the expected version; the number a new one claims is unique for ever.</summary>
public sealed class RegistrationCommandHandler(IEventStore store, IParticipantDirectory directory)
    : ICommandHandler<ExecuteRegistrationCommand, CommandOutcome<RegistrationState>>
{
    public const string NumberKeyPrefix = "registration-number:";

    readonly CommandService<ExecuteRegistrationCommand, RegistrationState, IRegistrationEvent> _commands = new(store, new()
    {
        Stream = r => r.Command.Registration.StreamId,
        Load = (r, ct) => Load(store, r.Command.Registration, ct),
        Decide = (s, r) => RegistrationDecider.Decide(s, r.Command),
        Evolve = RegistrationState.Evolve,
        Version = s => s.Version,
        Origin = r => (r.Command.Actor, r.Context),
        Prepare = (r, ct) => ActiveActorAndCollateral(store, directory, r, ct),
        UniqueKeys = events => events.OfType<RegistrationMade>().Select(m => NumberKeyPrefix + m.Number).ToList(),
        KeyTaken = key => RegistrationErrors.NumberTaken(key[NumberKeyPrefix.Length..]),
        Conflict = new DomainError("registration.concurrency_conflict",
            $"The registration kept changing while this command was decided ({CommandService.MaxAttempts} attempts); read it again and retry.", ErrorKind.Conflict),
    });

    public ValueTask<CommandOutcome<RegistrationState>> Handle(ExecuteRegistrationCommand request, CancellationToken ct) => _commands.Run(request, ct);

    public static Task<RegistrationState> Load(IEventStore store, RegistrationId id, CancellationToken ct) =>
        EventStreams.Fold<RegistrationState, IRegistrationEvent>(store, id.StreamId, RegistrationState.Initial, RegistrationState.Evolve, s => s.Version, ct);

    /// <summary>A fresh number for a registration made at <paramref name="at"/>: RG-YYYYMMDD and eight random digits (the unique key catches the rare repeat).</summary>
    public static string NewNumber(DateTimeOffset at) => $"RG-{at.UtcDateTime:yyyyMMdd}-{RandomNumberGenerator.GetInt32(100_000_000):D8}";

    static async Task<Result<ExecuteRegistrationCommand>> ActiveActorAndCollateral(IEventStore store, IParticipantDirectory directory, ExecuteRegistrationCommand request, CancellationToken ct)
    {
        var command = request.Command;
        // Deny by default: only a verified, unsuspended participant acts, with the roles it holds now.
        if (await directory.Find(command.Actor.Id, ct) is not { Active: true } actor)
            return new DomainError("participant.inactive",
                $"{command.Actor.Id} is not a verified, active participant (awaiting verification or suspended); it cannot act on registrations.", ErrorKind.Forbidden);
        var context = request.Context with { ParticipantVersion = actor.StreamVersion, ParticipantHash = actor.StreamHash };
        // Whether a collateral asset exists is I/O: asked here, decided on by the pure decider.
        if (command is MakeRegistration { Collateral: { Asset: { } asset } } make)
            command = make with { AssetExists = (await AssetStreams.Load(store, asset, ct)).Exists };
        // The capacity a disputer claims is judged by the credit code its participant record holds, not by what it says.
        if (command is DisputeRegistration dispute) command = dispute with { DisputerCreditCode = actor.CreditCode };
        return request with { Command = command, Context = context };
    }
}
