using AssetLedger.Application.Ports;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Participants;
using AssetLedger.Ledger.Serialization;

namespace AssetLedger.Projections.Tests.Support;

/// <summary>The cast of a test ledger, registered by the operator as participant streams.</summary>
public static class Cast
{
    public static readonly Actor Operator = Actor.Of("operator", Role.Operator);
    public static readonly Actor[] Owners = Enumerable.Range(0, 8).Select(i => Actor.Of($"owner-{i}", Role.Owner)).ToArray();
    public static readonly Actor[] Warehouses = Enumerable.Range(0, 3).Select(i => Actor.Of($"wh-{i}", Role.Warehouse)).ToArray();
    public static readonly Actor[] Debtors = Enumerable.Range(0, 3).Select(i => Actor.Of($"debtor-{i}", Role.Debtor, Role.Owner)).ToArray();
    public static readonly Actor[] Centers = Enumerable.Range(0, 2).Select(i => Actor.Of($"tc-{i}", Role.TradingCenter)).ToArray();
    public static readonly Actor[] Banks = Enumerable.Range(0, 2).Select(i => Actor.Of($"bank-{i}", Role.FinancialInstitution)).ToArray();
    public static readonly Actor[] Regulators = [Actor.Of("reg-0", Role.Regulator)];
    public static readonly Actor[] Everyone = [.. Owners, .. Warehouses, .. Debtors, .. Centers, .. Banks, .. Regulators];

    static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Decides and appends one ParticipantRegistered per participant, as the Api's handler will.</summary>
    public static async Task RegisterAll(IEventStore store, IEnumerable<Actor> participants)
    {
        var i = 0;
        foreach (var p in participants)
        {
            var name = $"{p.Id.Value} Ltd.";
            var (events, error) = ParticipantDecider.Register(ParticipantState.Initial,
                new RegisterParticipant(p.Id, name, p.Roles.ToList(), Operator, T0.AddMinutes(i++)));
            Assert.Null(error);
            var metadata = new EventMetadata(Operator.Id.Value, null, Guid.NewGuid(), null, null, null).ToJson();
            var append = events.Select(e =>
            {
                var (type, schema, json) = EventSerializer.Instance.Serialize(e);
                return new EventToAppend(Guid.CreateVersion7(), type, schema, json, metadata);
            }).ToList();
            var result = await store.Append(new AppendRequest(ParticipantDecider.StreamOf(p.Id), ExpectedVersion.NoStream, append), default);
            Assert.True(result.Succeeded);
        }
    }
}
