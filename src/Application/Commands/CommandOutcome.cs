using AssetLedger.Application.Ports;
using AssetLedger.Domain.Common;

namespace AssetLedger.Application.Commands;

/// <summary>What any command answers: the error that refused it, or the stream's new version, its appended events and the state after them.</summary>
public sealed record CommandOutcome<TState>(DomainError? Error, long Version, IReadOnlyList<AppendedEvent> Events, TState? State) where TState : class
{
    public bool Ok => Error is null;
    public static CommandOutcome<TState> Failed(DomainError error, long version = 0) => new(error, version, [], null);
}
