namespace AssetLedger.Domain.Common;

/// <summary>A value or the domain error that prevented it.</summary>
public readonly record struct Result<T>(T? Value, DomainError? Error)
{
    public bool IsOk => Error is null;
    public static implicit operator Result<T>(T value) => new(value, null);
    public static implicit operator Result<T>(DomainError error) => new(default, error);
    public static Result<T> Of(T value) => new(value, null);
}
