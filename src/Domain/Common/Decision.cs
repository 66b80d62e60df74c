namespace AssetLedger.Domain.Common;

/// <summary>
/// What every decider returns: the new events of its aggregate, or the error that refused the command.
/// A decider file may alias its closed form (<c>using Decision = Decision&lt;IAssetEvent&gt;</c>) to read as prose.
/// </summary>
public sealed record Decision<TEvent>(IReadOnlyList<TEvent> Events, DomainError? Error)
{
    public bool IsOk => Error is null;
    public static Decision<TEvent> Of(params TEvent[] events) => new(events, null);
    public static implicit operator Decision<TEvent>(DomainError error) => new([], error);
}
