using AssetLedger.Domain.Users;

namespace AssetLedger.Domain.Tests.Users;

/// <summary>Issue 14 item 5: which user events end the sessions, and that the session version never goes back.</summary>
public class ending_sessions
{
    static readonly Actor Op = Actor.Of("operator", Role.Operator);
    static readonly DateTimeOffset At = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);
    static readonly ParticipantId Owner = new("owner-1");

    static UserState Given(params IUserEvent[] events) => events.Aggregate(UserState.Initial, UserState.Evolve);
    static readonly IUserEvent[] Created = [new UserCreated("clerk", Owner, "Clerk", Op.Id, At), new UserPasswordSet("clerk", Op.Id, At)];

    [Fact]
    public void a_new_password_a_disable_and_a_release_each_end_the_sessions()
    {
        var created = Given(Created);

        Assert.True(Given([.. Created, new UserPasswordSet("clerk", Op.Id, At)]).SessionVersion > created.SessionVersion);
        Assert.True(Given([.. Created, new UserDisabled("clerk", "left", Op.Id, At)]).SessionVersion > created.SessionVersion);
        Assert.True(Given([.. Created, new UserReleased("clerk", Owner, "rejected", Op.Id, At)]).SessionVersion > created.SessionVersion);
    }

    [Fact]
    public void enabling_a_user_again_does_not_revive_the_tokens_its_disable_ended()
    {
        var disabled = Given([.. Created, new UserDisabled("clerk", "left", Op.Id, At)]);

        var enabled = UserState.Evolve(disabled, new UserEnabled("clerk", Op.Id, At));

        Assert.NotEqual(Given(Created).SessionVersion, enabled.SessionVersion);
    }

    [Fact]
    public void a_released_login_is_free_and_created_anew_under_a_later_session_version()
    {
        var released = Given([.. Created, new UserReleased("clerk", Owner, "rejected", Op.Id, At)]);
        Assert.False(released.Exists);

        var decision = UserDecider.Decide(released, new CreateUser("clerk", Owner, "Clerk again", Op, At), "operator");

        Assert.Null(decision.Error);
        var again = decision.Events.Aggregate(released, UserState.Evolve);
        Assert.True(again.Exists);
        Assert.True(again.SessionVersion > released.SessionVersion);
    }

    [Fact]
    public void only_the_operator_releases_a_user()
    {
        var owner = new Actor(Owner, new HashSet<Role> { Role.Owner });

        var decision = UserDecider.Decide(Given(Created), new ReleaseUser("clerk", "mine", owner, At), "clerk@owner");

        Assert.Equal("user.not_permitted", decision.Error?.Code);
    }
}
