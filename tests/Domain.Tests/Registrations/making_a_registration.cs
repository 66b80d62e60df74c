using AssetLedger.Domain.Registrations;
using static AssetLedger.Domain.Tests.Registrations.RegistrationSpec;
using static AssetLedger.Domain.Tests.Support.Actors;

namespace AssetLedger.Domain.Tests.Registrations;

public sealed class making_a_registration
{
    [Fact]
    public void a_bank_registers_a_security_interest_in_a_receipt_for_a_term() =>
        ThenEvents(When(History(), Make()), Made());

    [Fact]
    public void collateral_outside_the_registry_is_registered_by_its_description() =>
        ThenEvents(When(History(), Make(Receivables, months: 360)), Made(Receivables, months: 360));

    [Theory]
    [InlineData(0)]
    [InlineData(361)]
    [InlineData(-1)]
    public void a_term_outside_one_month_to_thirty_years_is_refused(int months) =>
        ThenError(When(History(), Make(months: months)), "registration.invalid", "termMonths");

    [Fact]
    public void an_asset_the_registry_does_not_hold_is_refused() =>
        ThenError(When(History(), Make(assetExists: false)), "registration.unknown_asset", "collateral.assetId");

    [Fact]
    public void described_collateral_needs_its_description() =>
        ThenError(When(History(), Make(Receivables with { Description = " " })), "registration.invalid", "collateral.description");

    [Fact]
    public void an_asset_collateral_names_its_asset() =>
        ThenError(When(History(), Make(OnReceipt with { Asset = null })), "registration.invalid", "collateral.assetId");

    [Fact]
    public void a_debtor_credit_code_with_a_wrong_check_character_is_refused() =>
        ThenError(When(History(), Make(debtor: Borrower with { CreditCode = "91330100MA27XL0E2H" })), "registration.invalid", "debtor.creditCode");

    [Theory]
    [InlineData("RG-20260302-00000042")]
    [InlineData("RG-20260301-0000004")]
    [InlineData("XX-20260301-00000042")]
    public void a_number_not_dated_the_day_it_is_made_or_misshaped_is_refused(string number) =>
        ThenError(When(History(), Make(number: number)), "registration.invalid", "number");

    [Fact]
    public void the_same_registration_cannot_be_made_twice() =>
        ThenError(When(History(Made()), Make()), "registration.already_exists");

    [Fact]
    public void the_registry_itself_makes_no_registration() =>
        ThenError(When(History(), Make(by: Device)), "registration.not_permitted");
}
