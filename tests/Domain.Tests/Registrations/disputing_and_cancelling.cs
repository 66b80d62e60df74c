using AssetLedger.Domain.Common;
using AssetLedger.Domain.Registrations;
using static AssetLedger.Domain.Tests.Registrations.RegistrationSpec;
using static AssetLedger.Domain.Tests.Support.Actors;

namespace AssetLedger.Domain.Tests.Registrations;

public sealed class disputing_and_cancelling
{
    // ---- dispute 异议 ----
    [Fact]
    public void the_debtor_disputes_and_the_dispute_lapses_in_thirty_days() =>
        ThenEvents(When(History(Made()), Dispute()), Disputed());

    [Fact]
    public void the_registrant_does_not_dispute_its_own_registration() =>
        ThenError(When(History(Made()), Dispute(by: Bank)), "registration.not_permitted");

    [Fact]
    public void a_standing_dispute_refuses_a_second() =>
        ThenError(When(History(Made(), Disputed()), Dispute(by: Owner, at: Day0.AddDays(10))), "registration.disputed");

    [Fact]
    public void a_lapsed_dispute_leaves_room_for_another() =>
        ThenEvents(When(History(Made(), Disputed()), Dispute(by: Owner, at: Day0.AddDays(40))), Disputed(Owner, Day0.AddDays(40)));

    [Fact]
    public void a_dispute_with_a_court_case_does_not_lapse()
    {
        var state = History(Made(), Disputed(), CourtCaseAdded());
        Assert.True(state.Dispute!.StandsAt(Day0.AddDays(100)));
        ThenError(When(state, Dispute(by: Owner, at: Day0.AddDays(100))), "registration.disputed");
    }

    [Fact]
    public void a_participant_whose_credit_code_is_not_the_debtors_does_not_dispute_as_the_debtor()
    {
        var error = ThenError(When(History(Made()), Dispute(by: Owner, code: "91330100MA27XL0E3K")), "registration.not_debtor", "capacity");
        Assert.Equal(ErrorKind.Forbidden, error.Kind);
        ThenError(When(History(Made()), Dispute(by: Owner, code: null)), "registration.not_debtor");
    }

    [Fact]
    public void anyone_else_but_the_registrant_disputes_as_an_interested_party() =>
        ThenEvents(When(History(Made()), Dispute(by: Owner, code: null, capacity: DisputeCapacity.InterestedParty)),
            Disputed(Owner, capacity: DisputeCapacity.InterestedParty));

    [Fact]
    public void the_debtor_does_not_dispute_as_an_interested_party() =>
        ThenError(When(History(Made()), Dispute(capacity: DisputeCapacity.InterestedParty)), "registration.invalid", "capacity");

    [Fact]
    public void a_dispute_needs_a_reason() =>
        ThenError(When(History(Made()), Dispute(reason: "")), "registration.invalid", "reason");

    // ---- court case ----
    [Fact]
    public void the_disputer_adds_its_court_case_within_thirty_days() =>
        ThenEvents(When(History(Made(), Disputed()), AddCase()), CourtCaseAdded());

    [Fact]
    public void a_court_case_after_the_lapse_is_refused() =>
        ThenError(When(History(Made(), Disputed()), AddCase(at: Day0.AddDays(31))), "registration.no_dispute");

    [Fact]
    public void only_the_disputer_adds_the_court_case() =>
        ThenError(When(History(Made(), Disputed()), AddCase(by: Owner)), "registration.not_permitted");

    [Fact]
    public void a_second_court_case_is_refused() =>
        ThenError(When(History(Made(), Disputed(), CourtCaseAdded()), AddCase(at: Day0.AddDays(5))), "registration.court_case_exists");

    [Fact]
    public void no_court_case_without_a_dispute() =>
        ThenError(When(History(Made()), AddCase()), "registration.no_dispute");

    // ---- cancel 注销 ----
    [Fact]
    public void the_registrant_cancels() => ThenEvents(When(History(Made()), Deregister()), Deregistered());

    [Fact]
    public void a_regulator_cancels_on_a_court_order() =>
        ThenEvents(When(History(Made()), Deregister(Regulator, "(2026)浙01执1号")), new RegistrationCancelled(Id, "Loan repaid.", "(2026)浙01执1号", Regulator.Id, Day0.AddDays(3)));

    [Fact]
    public void a_regulator_without_a_court_order_cannot_cancel() =>
        ThenError(When(History(Made()), Deregister(Regulator)), "registration.invalid", "courtOrder");

    [Fact]
    public void another_participant_cannot_cancel() =>
        ThenError(When(History(Made()), Deregister(Owner, "(2026)浙01执1号")), "registration.not_permitted");

    [Fact]
    public void a_registration_is_cancelled_once() =>
        ThenError(When(History(Made(), Deregistered()), Deregister(at: Day0.AddDays(4))), "registration.cancelled");
}
