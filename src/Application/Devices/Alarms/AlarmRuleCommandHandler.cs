using AssetLedger.Application.Commands;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Devices.Alarms;
using Mediator;

namespace AssetLedger.Application.Devices.Alarms;

public sealed record ExecuteAlarmRuleCommand(IAlarmRuleCommand Command, CommandContext Context) : ICommand<CommandOutcome<AlarmRuleBook>>;

/// <summary>The operator's rule book through the command service: load, decide, append with the expected version.</summary>
public sealed class AlarmRuleCommandHandler(IEventStore store, AlarmRuleBooks books) : ICommandHandler<ExecuteAlarmRuleCommand, CommandOutcome<AlarmRuleBook>>
{
    readonly CommandService<ExecuteAlarmRuleCommand, AlarmRuleBook, IAlarmRuleEvent> _commands = new(store, new()
    {
        Stream = _ => AlarmRuleDecider.Stream,
        Load = (_, ct) => books.Load(ct),
        Decide = (s, r) => AlarmRuleDecider.Decide(s, r.Command),
        Evolve = AlarmRuleBook.Evolve,
        Version = s => s.Version,
        Origin = r => (r.Command.Actor, r.Context),
        Conflict = new DomainError("alarm.concurrency_conflict", "The rule book kept changing; read it again and retry.", ErrorKind.Conflict),
    });

    public ValueTask<CommandOutcome<AlarmRuleBook>> Handle(ExecuteAlarmRuleCommand request, CancellationToken ct) => _commands.Run(request, ct);
}
