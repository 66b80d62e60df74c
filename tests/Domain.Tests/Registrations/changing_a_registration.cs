using AssetLedger.Domain.Registrations;
using static AssetLedger.Domain.Tests.Registrations.RegistrationSpec;
using static AssetLedger.Domain.Tests.Support.Actors;

namespace AssetLedger.Domain.Tests.Registrations;

public sealed class changing_a_registration
{
    // ---- amend ----
    [Fact]
    public void the_registrant_amends_the_debtor_name() =>
        ThenEvents(When(History(Made()), Amend(Borrower with { Name = "Hangzhou Oil Co." })),
            new RegistrationAmended(Id, Borrower with { Name = "Hangzhou Oil Co." }, null, Bank.Id, Day0.AddDays(1)));

    [Fact]
    public void the_registrant_amends_a_description() =>
        ThenEvents(When(History(Made(Receivables)), Amend(description: "Receivables of 2026 and 2027.")),
            new RegistrationAmended(Id, Borrower, "Receivables of 2026 and 2027.", Bank.Id, Day0.AddDays(1)));

    [Fact]
    public void another_participant_cannot_amend() =>
        ThenError(When(History(Made()), Amend(Borrower with { Name = "X" }, by: Owner)), "registration.not_registrant");

    [Fact]
    public void an_amendment_that_changes_nothing_is_refused() =>
        ThenError(When(History(Made()), Amend(Borrower)), "registration.no_change");

    [Fact]
    public void an_asset_collateral_takes_no_description() =>
        ThenError(When(History(Made()), Amend(description: "x")), "registration.invalid", "collateralDescription");

    [Fact]
    public void nothing_is_decided_for_a_registration_never_made() =>
        ThenError(When(History(), Amend(Borrower with { Name = "X" })), "registration.not_found");

    // ---- extend 展期 ----
    [Fact]
    public void the_registrant_extends_before_expiry_from_the_old_expiry() =>
        ThenEvents(When(History(Made()), Extend(24)), new RegistrationExtended(Id, 24, Day0.AddMonths(36), Bank.Id, Day0.AddMonths(6)));

    [Fact]
    public void only_the_registrant_extends() =>
        ThenError(When(History(Made()), Extend(by: Owner)), "registration.not_registrant");

    [Fact]
    public void an_expired_registration_cannot_be_extended() =>
        ThenError(When(History(Made()), Extend(at: Day0.AddMonths(12))), "registration.expired");

    [Fact]
    public void an_extension_beyond_thirty_years_from_now_is_refused() =>
        ThenError(When(History(Made(months: 360)), Extend(12)), "registration.invalid", "termMonths");

    [Fact]
    public void an_extension_of_no_months_is_refused() =>
        ThenError(When(History(Made()), Extend(0)), "registration.invalid", "termMonths");

    [Fact]
    public void a_cancelled_registration_accepts_nothing() =>
        ThenError(When(History(Made(), Deregistered()), Extend()), "registration.cancelled");
}
