using AssetLedger.Domain.Registrations;
using static AssetLedger.Domain.Tests.Registrations.RegistrationSpec;
using static AssetLedger.Domain.Tests.Support.Actors;

namespace AssetLedger.Domain.Tests.Registrations;

/// <summary>Every registration event is re-decidable: what the rules allowed passes, what they could not decide does not.</summary>
public sealed class judging_recorded_registration_events
{
    [Fact]
    public void a_lawful_history_is_admissible_event_by_event()
    {
        var history = new (IRegistrationEvent Event, Common.Actor By)[]
        {
            (Made(), Bank), (Disputed(), Support.Actors.Debtor), (CourtCaseAdded(), Support.Actors.Debtor),
            (new RegistrationExtended(Id, 12, Day0.AddMonths(24), Bank.Id, Day0.AddDays(4)), Bank),
            (new RegistrationAmended(Id, Borrower with { Name = "New name" }, null, Bank.Id, Day0.AddDays(5)), Bank),
            (new RegistrationCancelled(Id, "court order", "(2026)1号", Regulator.Id, Day0.AddDays(6)), Regulator),
        };
        var state = RegistrationState.Initial;
        foreach (var (e, by) in history)
        {
            Assert.Null(RegistrationAdmissibility.Check(state, e, by, actorCreditCode: by == Support.Actors.Debtor ? Borrower.CreditCode : null));
            state = RegistrationState.Evolve(state, e);
        }
    }

    [Fact]
    public void an_extension_by_another_than_the_registrant_is_inadmissible() =>
        Assert.Equal("registration.not_registrant",
            RegistrationAdmissibility.Check(History(Made()), new RegistrationExtended(Id, 12, Day0.AddMonths(24), Owner.Id, Day0.AddDays(1)), Owner)?.Code);

    [Fact]
    public void an_extension_with_a_forged_expiry_is_inadmissible() =>
        Assert.Equal("event.inadmissible",
            RegistrationAdmissibility.Check(History(Made()), new RegistrationExtended(Id, 12, Day0.AddMonths(60), Bank.Id, Day0.AddDays(1)), Bank)?.Code);

    [Fact]
    public void a_dispute_as_the_debtor_by_a_participant_without_the_debtors_credit_code_is_inadmissible()
    {
        Assert.Equal("registration.not_debtor", RegistrationAdmissibility.Check(History(Made()), Disputed(Owner), Owner, actorCreditCode: "91330100MA27XL0E3K")?.Code);
        Assert.Null(RegistrationAdmissibility.Check(History(Made()), Disputed(Owner), Owner, actorCreditCode: Borrower.CreditCode));
    }

    [Fact]
    public void a_registration_over_an_asset_the_verifier_knows_is_missing_is_inadmissible() =>
        Assert.Equal("registration.unknown_asset", RegistrationAdmissibility.Check(History(), Made(), Bank, _ => false)?.Code);
}
