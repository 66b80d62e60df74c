using AssetLedger.Domain.Common;
using AssetLedger.Domain.Registrations;
using Bogus;

namespace AssetLedger.Cli.Seeding;

/// <summary>
/// The security-interest registrations of a seeded registry: for one asset in four, a bank registers against an owner
/// as debtor, over the asset itself (six in ten) or over the owner's receivables of a year, for two to ten years, and
/// extends two in five of them a few months later. Decided up front from the seed and index, like the assets' lives,
/// and valid by construction; ids and numbers are derived, so a rerun finds them made and skips them.
/// </summary>
public static class SeedRegistrations
{
    public static RegistrationId IdOf(int seed, int index) => new(Lifecycles.IdOf(seed ^ 0x5EED_0017, index).Value);

    public static IReadOnlyList<IRegistrationCommand> For(SeedCast cast, int seed, int index, int total)
    {
        if (index % 4 != 0) return [];
        var r = new Randomizer(unchecked(seed * 7_919 + index));
        var id = IdOf(seed, index);
        var bank = cast.Banks[r.Number(0, cast.Banks.Count - 1)];
        var debtor = cast.Owners[r.Number(0, cast.Owners.Count - 1)];
        var at = Lifecycles.Epoch.AddDays(30 + 700.0 * index / Math.Max(1, total)).AddMinutes(r.Number(0, 600));
        var collateral = r.Bool(0.6f)
            ? new Collateral(CollateralKind.RegistryAsset, Lifecycles.IdOf(seed, index), null)
            : new Collateral(CollateralKind.Receivables, null, $"{debtor.Name}{at:yyyy}年度全部应收账款");
        var months = r.Number(24, 120);
        var commands = new List<IRegistrationCommand>
        {
            new MakeRegistration(id, $"RG-{at:yyyyMMdd}-{index:D8}", new DebtorParty(debtor.Name, debtor.CreditCode!), collateral, months, true, bank.Actor, at),
        };
        if (r.Bool(0.4f)) commands.Add(new ExtendRegistration(id, r.Number(6, 36), bank.Actor, at.AddDays(r.Number(30, 300))));
        return commands;
    }
}
