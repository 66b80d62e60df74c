using AssetLedger.Domain.Common;

namespace AssetLedger.Domain.Assets;

/// <summary>A value or the domain error that prevented it.</summary>
public readonly record struct Result<T>(T? Value, DomainError? Error)
{
    public bool IsOk => Error is null;
    public static implicit operator Result<T>(T value) => new(value, null);
    public static implicit operator Result<T>(DomainError error) => new(default, error);
    public static Result<T> Of(T value) => new(value, null);
}

/// <summary>The outcome of a decision: new events, or the error that refused the command.</summary>
public sealed record Decision(IReadOnlyList<IAssetEvent> Events, DomainError? Error)
{
    public bool IsOk => Error is null;
    public static Decision Of(params IAssetEvent[] events) => new(events, null);
    public static implicit operator Decision(DomainError error) => new([], error);
}
