using AssetLedger.Domain.Common;
using AssetLedger.Domain.Registrations;
using AssetLedger.Ledger.Serialization;
using static AssetLedger.Domain.Tests.Support.Actors;

namespace AssetLedger.Domain.Tests.Registrations;

/// <summary>Given registration events / when a command / then events or an error; builders default to the common case.</summary>
public static class RegistrationSpec
{
    public static readonly RegistrationId Id = new(Guid.Parse("0195a0c4-7b1e-7c3a-9d2f-000000000001"));
    public static readonly AssetId Receipt = new(Guid.Parse("0195a0c4-7b1e-7c3a-9d2f-4e5a6b7c8d9e"));
    public static readonly DateTimeOffset Day0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    public const string Number = "RG-20260301-00000042";
    public static readonly DebtorParty Borrower = new("Hangzhou Oil Trading Co., Ltd.", "91330100MA27XL0E2G");
    public static readonly Collateral OnReceipt = new(CollateralKind.RegistryAsset, Receipt, null);
    public static readonly Collateral Receivables = new(CollateralKind.Receivables, null, "All receivables of the debtor arising in 2026.");

    public static RegistrationState History(params IRegistrationEvent[] history) => RegistrationState.From(history);
    public static Decision<IRegistrationEvent> When(RegistrationState s, IRegistrationCommand c) => RegistrationDecider.Decide(s, c);

    public static void ThenEvents(Decision<IRegistrationEvent> decision, params IRegistrationEvent[] expected)
    {
        Assert.True(decision.Error is null, $"Expected events, got the error {decision.Error}");
        Assert.Equal(expected.Select(Stored), decision.Events.Select(Stored));
    }

    public static DomainError ThenError(Decision<IRegistrationEvent> decision, string code, string? field = null)
    {
        var error = Assert.IsType<DomainError>(decision.Error, exactMatch: true);
        Assert.Equal(code, error.Code);
        if (field is not null) Assert.Equal(field, error.Field);
        Assert.Empty(decision.Events);
        return error;
    }

    static string Stored(IRegistrationEvent e)
    {
        var (type, schema, json) = EventSerializer.Instance.Serialize(e);
        return $"{type}/v{schema} {json}";
    }

    // ---- events ----
    public static RegistrationMade Made(Collateral? collateral = null, int months = 12, Actor? by = null) =>
        new(Id, Number, (by ?? Bank).Id, Borrower, collateral ?? OnReceipt, months, Day0.AddMonths(months), (by ?? Bank).Id, Day0);
    public static RegistrationDisputed Disputed(Actor? by = null, DateTimeOffset? at = null, DisputeCapacity capacity = DisputeCapacity.Debtor) =>
        new(Id, capacity, "The loan was repaid.", (at ?? Day0.AddDays(1)) + RegistrationLimits.DisputeLapse, (by ?? Support.Actors.Debtor).Id, at ?? Day0.AddDays(1));
    public static DisputeCourtCaseAdded CourtCaseAdded(Actor? by = null) => new(Id, "(2026)浙0106民初1234号", (by ?? Support.Actors.Debtor).Id, Day0.AddDays(2));
    public static RegistrationCancelled Deregistered(Actor? by = null) => new(Id, "Loan repaid.", null, (by ?? Bank).Id, Day0.AddDays(3));

    // ---- commands ----
    public static MakeRegistration Make(Collateral? collateral = null, int months = 12, bool assetExists = true, Actor? by = null, string number = Number, DebtorParty? debtor = null) =>
        new(Id, number, debtor ?? Borrower, collateral ?? OnReceipt, months, assetExists, by ?? Bank, Day0);
    public static ExtendRegistration Extend(int months = 12, Actor? by = null, DateTimeOffset? at = null) => new(Id, months, by ?? Bank, at ?? Day0.AddMonths(6));
    public static AmendRegistration Amend(DebtorParty? debtor = null, string? description = null, Actor? by = null) => new(Id, debtor, description, by ?? Bank, Day0.AddDays(1));
    /// <param name="code">The disputer's credit code as its participant record holds it: by default the debtor's.</param>
    public static DisputeRegistration Dispute(Actor? by = null, DateTimeOffset? at = null, string reason = "The loan was repaid.",
        DisputeCapacity capacity = DisputeCapacity.Debtor, string? code = "91330100MA27XL0E2G") =>
        new(Id, capacity, reason, by ?? Support.Actors.Debtor, at ?? Day0.AddDays(1), code);
    public static AddCourtCase AddCase(Actor? by = null, DateTimeOffset? at = null) => new(Id, "(2026)浙0106民初1234号", by ?? Support.Actors.Debtor, at ?? Day0.AddDays(2));
    public static CancelRegistration Deregister(Actor? by = null, string? courtOrder = null, DateTimeOffset? at = null) => new(Id, "Loan repaid.", courtOrder, by ?? Bank, at ?? Day0.AddDays(3));
}
