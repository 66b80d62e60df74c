using AssetLedger.Domain.Participants;

namespace AssetLedger.Domain.Tests.Participants;

/// <summary>Issue 14 item 3: a rejected application frees its id; a pending or verified one keeps it.</summary>
public class applying_again_after_a_rejection
{
    static readonly Actor Op = Actor.Of("operator", Role.Operator);
    static readonly DateTimeOffset At = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);
    static readonly ParticipantId Id = new("applicant-1");
    static readonly ApplyAsParticipant Apply = new(Id, "Applicant Co.", "91350100M000100Y43", "Li Na", [Role.Owner], new Actor(Id, new HashSet<Role>()), At);

    static ParticipantState Given(params IParticipantEvent[] events) => events.Aggregate(ParticipantState.Initial, ParticipantState.Evolve);
    static readonly ParticipantApplied Applied = new(Id, "Applicant Co.", "91350100M000100Y43", "Li Na", [Role.Owner], At);

    [Fact]
    public void a_rejected_id_is_applied_for_again_from_a_clean_state()
    {
        var rejected = Given(Applied, new ParticipantRejected(Id, "no licence", Op.Id, At));

        var decision = ParticipantDecider.Decide(rejected, Apply);

        Assert.Null(decision.Error);
        var again = decision.Events.Aggregate(rejected, ParticipantState.Evolve);
        Assert.Equal(ParticipantStatus.Applied, again.Status);
        Assert.Equal(3, again.Version);
        Assert.Equal(rejected.SessionVersion, again.SessionVersion);
    }

    [Fact]
    public void a_pending_or_verified_id_stays_taken()
    {
        Assert.Equal("participant.exists", ParticipantDecider.Decide(Given(Applied), Apply).Error?.Code);
        Assert.Equal("participant.exists", ParticipantDecider.Decide(Given(Applied, new ParticipantVerified(Id, [Role.Owner], Op.Id, At)), Apply).Error?.Code);
    }

    [Fact]
    public void a_rejection_a_suspension_and_a_revoked_role_end_the_users_sessions_and_a_grant_does_not()
    {
        var verified = Given(Applied, new ParticipantVerified(Id, [Role.Owner, Role.Warehouse], Op.Id, At));

        Assert.True(Given(Applied, new ParticipantRejected(Id, "no", Op.Id, At)).SessionVersion > Given(Applied).SessionVersion);
        Assert.True(ParticipantState.Evolve(verified, new ParticipantSuspended(Id, "licence", Op.Id, At)).SessionVersion > verified.SessionVersion);
        Assert.True(ParticipantState.Evolve(verified, new ParticipantRoleRevoked(Id, Role.Warehouse, Op.Id, At)).SessionVersion > verified.SessionVersion);
        Assert.Equal(verified.SessionVersion, ParticipantState.Evolve(verified, new ParticipantRoleGranted(Id, Role.Debtor, Op.Id, At)).SessionVersion);
    }
}
