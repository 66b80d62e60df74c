using AssetLedger.Cli.Seeding;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;

namespace AssetLedger.Cli.Tests;

/// <summary>The seed generator's plans: valid command by command, deterministic, realistic in shape.</summary>
public sealed class generated_lifecycles
{
    const int Seed = 7, Assets = 3000;
    static readonly SeedCast Cast = new(Seed, Assets);

    static List<AssetState> ReplayAll()
    {
        var roles = Cast.All.ToDictionary(p => p.Id, p => (IReadOnlySet<Role>)new HashSet<Role> { p.Role });
        var finals = new List<AssetState>();
        for (var i = 0; i < Assets; i++)
        {
            var state = AssetState.Initial;
            foreach (var command in Lifecycles.For(Cast, Seed, i, Assets))
            {
                // The handler fills in the venue's roles from the participant directory; the pure decider needs them given.
                var c = command is TransferOut t ? t with { VenueRoles = roles[t.Venue] } : command;
                var decision = AssetDecider.Decide(state, c);
                Assert.True(decision.IsOk, $"asset {i}, {c.GetType().Name} at version {state.Version}: {decision.Error}");
                // A split also opens its parts' streams; the plan follows the asset's own.
                state = decision.Events.Where(e => e.Asset == c.Asset).Aggregate(state, AssetState.Evolve);
            }
            finals.Add(state);
        }
        return finals;
    }

    [Fact]
    public void every_generated_lifecycle_is_accepted_command_by_command_by_the_domain()
    {
        var finals = ReplayAll();
        var events = finals.Sum(s => s.Version);
        Assert.InRange(events / (double)Assets, 5.0, 7.0);
        Assert.InRange(finals.Count(s => s.Kind == AssetKind.WarehouseReceipt) / (double)Assets, 0.5, 0.7);
        Assert.Contains(finals, s => s.Kind == AssetKind.Receivable);
        Assert.Contains(finals, s => s.Kind == AssetKind.Intangible);
        Assert.Contains(finals, s => s.Status == AssetStatus.Cancelled);
        Assert.Contains(finals, s => s.Status == AssetStatus.Rejected);
        Assert.Contains(finals, s => s.IsOut && s.Custody!.Purpose == VenuePurpose.Financing);
        Assert.Contains(finals, s => s.IsFrozen);
        Assert.Contains(finals, s => s.PendingOffer is not null);
        Assert.Contains(finals, s => s.EvidenceCount > 0);
        Assert.Contains(finals, s => s.Status == AssetStatus.Split && s.SplitInto.Length == 2);
        Assert.Contains(finals, s => s.Status == AssetStatus.Cancelled && !s.DeliveryOrders.IsEmpty);
        Assert.Equal(Assets, finals.Select(s => s.Key).Distinct().Count());
    }

    [Fact]
    public void the_same_seed_gives_the_same_participants_and_assets()
    {
        var again = new SeedCast(Seed, Assets);
        Assert.Equal(Cast.All.Select(p => (p.Id, p.Name, p.Role)), again.All.Select(p => (p.Id, p.Name, p.Role)));
        static string Shape(IAssetCommand c) => $"{c.GetType().Name} {c.Asset} {c.Actor.Id} {c.At:O} {(c as RegisterAsset)?.Details}";
        for (var i = 0; i < 50; i++)
            Assert.Equal(Lifecycles.For(Cast, Seed, i, Assets).Select(Shape), Lifecycles.For(again, Seed, i, Assets).Select(Shape));
        Assert.NotEqual(Lifecycles.For(Cast, Seed, 0, Assets).Select(Shape), Lifecycles.For(new SeedCast(Seed + 1, Assets), Seed + 1, 0, Assets).Select(Shape));
    }

    [Fact]
    public void names_are_chinese_organisations_and_times_spread_over_the_registration_span()
    {
        static bool Chinese(string s) => s.Any(c => c is >= '\u4e00' and <= '\u9fff');
        Assert.All(Cast.All, p => Assert.True(Chinese(p.Name), p.Name));
        Assert.All(Cast.Owners, p => Assert.EndsWith("有限公司", p.Name));
        Assert.All(Cast.Banks, p => Assert.EndsWith("银行", p.Name));
        var first = Lifecycles.For(Cast, Seed, 0, Assets)[0].At;
        var last = Lifecycles.For(Cast, Seed, Assets - 1, Assets)[0].At;
        Assert.True(first < Lifecycles.Epoch.AddDays(1) && last > Lifecycles.Epoch.AddDays(690), $"{first:O} … {last:O}");
        Assert.True(Chinese(((RegisterAsset)Lifecycles.For(Cast, Seed, Enumerable.Range(0, 50).First(i =>
            ((RegisterAsset)Lifecycles.For(Cast, Seed, i, Assets)[0]).Kind == AssetKind.WarehouseReceipt), Assets)[0]).Details.Commodity!));
    }
}
