namespace AssetLedger.Domain.Common;

/// <summary>An asset's identity; its event stream is <c>asset-{Value:N}</c>.</summary>
public readonly record struct AssetId(Guid Value)
{
    public static AssetId New() => new(Guid.CreateVersion7());
    public string StreamId => $"asset-{Value:N}";
    public override string ToString() => Value.ToString("N");

    public static bool TryParse(string? text, out AssetId id)
    {
        id = default;
        if (!Guid.TryParse(text, out var g) || g == Guid.Empty) return false;
        id = new AssetId(g);
        return true;
    }
}

/// <summary>An organisation taking part in the registry (warehouse, bank, regulator…).</summary>
public readonly record struct ParticipantId(string Value)
{
    public static readonly ParticipantId System = new("system");
    public const int MaxLength = 64;

    /// <summary>What <see cref="IsWellFormed"/> accepts, as the OpenAPI document publishes it.</summary>
    public const string Pattern = "^[a-z0-9._-]{1,64}$";
    public override string ToString() => Value;

    /// <summary>Lower-case letters, digits, '-', '_' and '.', 1–64 characters.</summary>
    public static bool IsWellFormed(string? text) =>
        !string.IsNullOrEmpty(text) && text.Length <= MaxLength &&
        text.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_' or '.');
}

public enum Role
{
    Owner,
    TradingCenter,
    Warehouse,
    FinancialInstitution,
    Debtor,
    Regulator,
    Logistics,
    Operator,
    /// <summary>The registry itself, acting on an IoT alarm or a rule.</summary>
    System,
}

/// <summary>Who issues a command: a participant and the roles it holds at that moment.</summary>
public sealed record Actor(ParticipantId Id, IReadOnlySet<Role> Roles)
{
    public bool Has(Role role) => Roles.Contains(role);
    public static Actor Of(string id, params Role[] roles) => new(new ParticipantId(id), roles.ToHashSet());
    public static readonly Actor SystemActor = new(ParticipantId.System, new HashSet<Role> { Role.System });
}
