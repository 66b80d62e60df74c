using AssetLedger.Domain.Common;
using Bogus;

namespace AssetLedger.Cli.Seeding;

/// <summary>A generated participant: a stable id, a Chinese organisation name and its one role.</summary>
public sealed record SeedParticipant(ParticipantId Id, string Name, Role Role, string? CreditCode = null)
{
    public Actor Actor { get; } = new(Id, new HashSet<Role> { Role });
}

/// <summary>
/// The participants a seeded registry needs, scaled to the number of assets and generated from the seed alone,
/// so the same seed always gives the same ids and names (Bogus's zh_CN cities and provinces, our own word lists).
/// </summary>
public sealed class SeedCast
{
    static readonly string[] TradeNames = ["恒信", "华泰", "中联", "鑫达", "永盛", "宏远", "金桥", "瑞丰", "天成", "汇通", "广源", "德润", "长江", "东方", "海港", "国泰", "嘉禾", "兴业", "万邦", "明德"];
    static readonly string[] Industries = ["能源", "石化", "贸易", "物产", "实业", "供应链", "粮油", "钢铁", "有色金属", "化工", "农产品", "国际贸易"];
    static readonly string[] Groups = ["集团", "控股集团", "股份"];
    static readonly string[] Depots = ["港区油库", "北仓储中心", "保税物流园", "南粮库", "金属交割库", "东冷链仓库", "石化储运基地"];
    static readonly string[] TradingCenters = ["上海大宗商品交易中心", "浙江舟山国际能源交易中心", "大连商品交易中心", "广州商品清算中心", "天津贵金属交易中心", "重庆航运交易所"];
    static readonly string[] Authorities = ["上海市地方金融管理局", "上海市浦东新区人民法院", "浙江省地方金融管理局", "宁波海事法院", "广东省地方金融管理局", "天津海事法院"];

    public IReadOnlyList<SeedParticipant> All { get; }
    public IReadOnlyList<SeedParticipant> Owners { get; }
    public IReadOnlyList<SeedParticipant> Warehouses { get; }
    public IReadOnlyList<SeedParticipant> TradingCenterList { get; }
    public IReadOnlyList<SeedParticipant> Banks { get; }
    public IReadOnlyList<SeedParticipant> Debtors { get; }
    public IReadOnlyList<SeedParticipant> Regulators { get; }
    public IReadOnlyList<SeedParticipant> Logistics { get; }

    public SeedCast(int seed, int assets)
    {
        var f = new Faker("zh_CN") { Random = new Randomizer(seed) };
        string City() => f.Address.City().TrimEnd('市');
        List<SeedParticipant> Make(string prefix, int count, Role role, Func<int, string> name) =>
            Enumerable.Range(1, count).Select(i => new SeedParticipant(new ParticipantId($"{prefix}-{i:D4}"), name(i), role)).ToList();

        // Owners carry unified social credit codes: registrations name them as debtors, and a search by code finds their pledges.
        Owners = [.. Make("co", Scale(assets, 500, 20, 2000), Role.Owner, _ => $"{City()}{f.PickRandom(TradeNames)}{f.PickRandom(Industries)}有限公司")
            .Select(o => o with { CreditCode = CreditCodeOf(o.Id) })];
        Warehouses = Make("wh", Scale(assets, 20_000, 5, 60), Role.Warehouse, _ => $"{City()}{f.PickRandom(Depots)}");
        TradingCenterList = Make("tc", Math.Min(TradingCenters.Length, Scale(assets, 100_000, 2, 6)), Role.TradingCenter, i => TradingCenters[i - 1]);
        Banks = Make("bank", Scale(assets, 40_000, 3, 30), Role.FinancialInstitution, i => i % 3 == 0 ? $"{City()}农村商业银行" : $"{City()}商业银行");
        Debtors = Make("debtor", Scale(assets, 2_000, 5, 500), Role.Debtor, _ => $"{f.Address.State()}{f.PickRandom(TradeNames)}{f.PickRandom(Groups)}有限公司");
        Regulators = Make("reg", Authorities.Length, Role.Regulator, i => Authorities[i - 1]);
        Logistics = Make("log", Scale(assets, 50_000, 2, 20), Role.Logistics, _ => $"{City()}{f.PickRandom(TradeNames)}物流有限公司");
        All = [.. Owners, .. Warehouses, .. TradingCenterList, .. Banks, .. Debtors, .. Regulators, .. Logistics];
    }

    static int Scale(int assets, int per, int min, int max) => Math.Clamp(assets / per, min, max);

    /// <summary>A valid, stable code for a seeded company: 91 (an enterprise), a Shanghai area code, a number from its id, the check character.</summary>
    public static string CreditCodeOf(ParticipantId id)
    {
        const string alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(id.Value));
        var first17 = "91310000" + string.Concat(hash.Take(9).Select(b => alphabet[b % alphabet.Length]));
        return first17 + Domain.Participants.CreditCode.CheckCharacter(first17);
    }
}
