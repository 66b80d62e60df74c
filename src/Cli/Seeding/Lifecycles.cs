using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using Bogus;

namespace AssetLedger.Cli.Seeding;

/// <summary>
/// One asset's life as the commands that make it, decided up front from the seed and the asset's index:
/// registered and confirmed (确权), then pledged to banks and returned, sold by offer or through a trading center,
/// now and then frozen by a regulator or court, given evidence, a receipt's goods partly delivered (部分提货) or the
/// receipt split in two (拆分, its parts new streams written with the split), and often cancelled at the end. Every plan is valid
/// by construction (each command is allowed in the state the earlier ones leave), and each command appends exactly
/// one event, so a plan can resume at the asset's stored version. About six events per asset on average.
/// </summary>
public static class Lifecycles
{
    public static readonly DateTimeOffset Epoch = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    static readonly TimeSpan RegistrationSpan = TimeSpan.FromDays(700);

    static readonly (string Name, string Unit, int Min, int Max)[] Commodities =
    [
        ("原油", "桶", 1_000, 200_000), ("燃料油", "吨", 500, 50_000), ("螺纹钢", "吨", 100, 5_000), ("电解铜", "吨", 25, 2_000),
        ("铝锭", "吨", 25, 3_000), ("锌锭", "吨", 25, 2_000), ("大豆", "吨", 1_000, 60_000), ("玉米", "吨", 1_000, 50_000),
        ("棉花", "吨", 20, 2_000), ("白糖", "吨", 50, 5_000), ("天然橡胶", "吨", 20, 1_000), ("精对苯二甲酸", "吨", 100, 5_000),
        ("甲醇", "吨", 500, 20_000), ("聚乙烯", "吨", 100, 3_000), ("铁矿石", "吨", 10_000, 200_000), ("液化天然气", "立方米", 10_000, 200_000),
    ];
    static readonly string[] Scenery = ["古镇", "湿地公园", "国家森林公园", "风景名胜区", "博物馆", "海滨度假区", "石窟", "茶园"];
    static readonly (string Title, string MediaType)[] Media = [("全景图集", "image/jpeg"), ("航拍视频", "video/mp4"), ("导览手册", "application/pdf"), ("三维实景模型", "model/gltf-binary")];
    static readonly (string Description, string MediaType)[] ReceiptEvidence =
        [("地磅称重记录", "application/json"), ("罐容计量报告", "application/pdf"), ("入库质检报告", "application/pdf"), ("视频监控截图", "image/jpeg")];
    static readonly (string Description, string MediaType)[] ReceivableEvidence =
        [("增值税专用发票", "application/pdf"), ("物流运单", "application/pdf"), ("购销合同", "application/pdf")];

    /// <summary>The asset's id: derived from the seed and index, so a rerun addresses the same streams.</summary>
    public static AssetId IdOf(int seed, int index)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"assetledger-seed:{seed}:{index}"));
        return new AssetId(new Guid(hash.AsSpan(0, 16)));
    }

    /// <summary>A split part's id: derived from its parent's, so a rerun addresses the same streams.</summary>
    static AssetId PartOf(AssetId parent, int part)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"assetledger-seed-part:{parent}:{part}"));
        return new AssetId(new Guid(hash.AsSpan(0, 16)));
    }

    public static IReadOnlyList<IAssetCommand> For(SeedCast cast, int seed, int index, int total)
    {
        var r = new Randomizer(unchecked(seed * 1_000_003 + index));
        return new Plan(cast, r, IdOf(seed, index), index, RegisteredAt(r, index, total)).Build();
    }

    static DateTimeOffset RegisteredAt(Randomizer r, int index, int total)
    {
        var slot = RegistrationSpan.Ticks / Math.Max(1, total);
        return Epoch.AddTicks(slot * index + (long)(r.Double() * slot));
    }

    sealed class Plan(SeedCast cast, Randomizer r, AssetId id, int index, DateTimeOffset start)
    {
        readonly List<IAssetCommand> _commands = [];
        DateTimeOffset _now = start;
        SeedParticipant _owner = null!;
        decimal _quantity;
        int _freezes;

        DateTimeOffset Later(int minHours, int maxHours) => _now = _now.AddMinutes(r.Number(minHours * 60, maxHours * 60));
        void Add(IAssetCommand c) => _commands.Add(c);
        SeedParticipant Pick(IReadOnlyList<SeedParticipant> from) => from[r.Number(0, from.Count - 1)];
        SeedParticipant OtherOwner()
        {
            var i = r.Number(0, cast.Owners.Count - 1);
            return cast.Owners[i].Id == _owner.Id ? cast.Owners[(i + 1) % cast.Owners.Count] : cast.Owners[i];
        }

        public IReadOnlyList<IAssetCommand> Build()
        {
            var kind = r.Number(1, 100) switch { <= 60 => AssetKind.WarehouseReceipt, <= 90 => AssetKind.Receivable, _ => AssetKind.Intangible };
            _owner = kind == AssetKind.Receivable && r.Bool(0.15f) ? Pick(cast.Logistics) : Pick(cast.Owners);
            var (details, registrant, first) = kind switch
            {
                AssetKind.WarehouseReceipt => Receipt(),
                AssetKind.Receivable => Receivable(),
                _ => Intangible(),
            };
            Add(new RegisterAsset(id, kind, _owner.Id, details, registrant.Actor, _now));
            if (r.Bool(0.03f))
            {
                Add(new ConfirmAsset(id, false, "材料不符，退回补正", first.Actor, Later(2, 72)));
                return _commands;
            }
            Add(new ConfirmAsset(id, true, kind == AssetKind.WarehouseReceipt ? "货物已验收入库" : null, first.Actor, Later(1, 48)));
            Add(new ConfirmAsset(id, true, null, Pick(cast.TradingCenterList).Actor, Later(1, 48)));
            if (r.Bool(kind == AssetKind.Intangible ? 0.4f : 0.55f)) Evidence(kind, first);

            var episodes = r.Number(0, 2);
            for (var e = 0; e < episodes; e++)
            {
                var last = e == episodes - 1;
                var open = Episode(kind, last);
                if (open) return _commands; // the asset stays locked: pledged, offered or frozen today
            }
            if (kind == AssetKind.WarehouseReceipt && r.Bool(0.2f)) // part delivery against a delivery order
            {
                var released = Math.Floor(_quantity * r.Number(10, 50)) / 100;
                Add(new ReleaseGoods(id, $"DO{_now.Year}{index:D8}", Decimals.Canonical(released), null, first.Actor, Later(24, 24 * 30)));
                _quantity -= released;
            }
            if (kind == AssetKind.WarehouseReceipt && r.Bool(0.08f)) // split in two for the owner's two buyers; the parts live on
            {
                var half = Math.Floor(_quantity / 2);
                Add(new SplitAsset(id, [new(PartOf(id, 1), Decimals.Canonical(half)), new(PartOf(id, 2), Decimals.Canonical(_quantity - half))], _owner.Actor, Later(24, 24 * 30)));
                return _commands;
            }
            if (r.Bool(0.015f)) { Freeze(); return _commands; }
            if (r.Bool(kind == AssetKind.Intangible ? 0.1f : 0.4f))
                Add(new CancelAsset(id, kind == AssetKind.WarehouseReceipt ? "货物已出库交付" : "款项已结清", Canceller(kind, first), Later(24, 24 * 60)));
            return _commands;
        }

        (AssetDetails, SeedParticipant, SeedParticipant) Receipt()
        {
            var wh = Pick(cast.Warehouses);
            var (name, unit, min, max) = Commodities[r.Number(0, Commodities.Length - 1)];
            var quantity = (r.Number(min, max) + r.Number(0, 9) / 10m).ToString(CultureInfo.InvariantCulture);
            var details = new AssetDetails
            {
                Warehouse = wh.Id, ReceiptNumber = $"WR{_now.Year}{wh.Id.Value[3..]}{index:D8}", Commodity = name,
                Quantity = new Quantity(Decimals.Canonical(_quantity = decimal.Parse(quantity, CultureInfo.InvariantCulture)), unit),
                Description = $"{wh.Name} {r.Number(1, 40)} 号{(unit == "桶" || unit == "立方米" ? "储罐" : "库位")}",
            };
            return (details, r.Bool(0.3f) ? wh : _owner, wh);
        }

        (AssetDetails, SeedParticipant, SeedParticipant) Receivable()
        {
            var debtor = Pick(cast.Debtors);
            var amount = r.Number(50_000, 50_000_000) + r.Number(0, 99) / 100m;
            var details = new AssetDetails
            {
                Debtor = debtor.Id, BillNumber = $"{_now.Year}{r.Number(10, 99)}{index:D10}",
                Amount = new Money(Decimals.Canonical(amount), "CNY"), DueDate = DateOnly.FromDateTime(_now.UtcDateTime.AddDays(r.Number(30, 360))),
                Description = "应收账款（货款）",
            };
            return (details, _owner, debtor);
        }

        (AssetDetails, SeedParticipant, SeedParticipant) Intangible()
        {
            var (title, media) = Media[r.Number(0, Media.Length - 1)];
            var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{id}:content")));
            var place = cast.Owners[r.Number(0, cast.Owners.Count - 1)].Name[..2];
            var details = new AssetDetails { Title = $"{place}{r.ArrayElement(Scenery)}{title}", ContentSha256 = sha, MediaType = media, Description = "数字文旅资产" };
            return (details, _owner, Pick(cast.Regulators));
        }

        void Evidence(AssetKind kind, SeedParticipant confirmer)
        {
            var (description, media) = kind switch
            {
                AssetKind.WarehouseReceipt => ReceiptEvidence[r.Number(0, ReceiptEvidence.Length - 1)],
                AssetKind.Receivable => ReceivableEvidence[r.Number(0, ReceivableEvidence.Length - 1)],
                _ => ("版权登记证书", "application/pdf"),
            };
            var by = kind == AssetKind.WarehouseReceipt && r.Bool(0.7f) ? confirmer : _owner;
            var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{id}:evidence:{_commands.Count}")));
            Add(new AttachEvidence(id, sha, media, description, "api", by.Actor, Later(1, 96)));
        }

        /// <summary>One thing that happens to an active asset; true when it leaves the asset locked (only on the last episode).</summary>
        bool Episode(AssetKind kind, bool last)
        {
            var roll = r.Number(1, 100);
            if (roll <= (kind == AssetKind.Intangible ? 20 : 50)) // pledge to a bank (质押融资) and return when repaid
            {
                var bank = Pick(cast.Banks);
                Add(new TransferOut(id, bank.Id, new HashSet<Role>(), VenuePurpose.Financing, _owner.Actor, Later(24, 24 * 20)));
                if (last && r.Bool(0.25f)) return true;
                if (r.Bool(0.04f))
                {
                    var freezeId = Freeze();
                    Add(new UnfreezeAsset(id, freezeId, "解除冻结", FreezerOf(freezeId), Later(24, 24 * 30)));
                }
                var newOwner = r.Bool(0.05f) ? OtherOwner() : null; // enforced: sold to a new owner
                Add(new ReturnAsset(id, newOwner?.Id, bank.Actor, Later(24 * 30, 24 * 180)));
                if (newOwner is not null) _owner = newOwner;
                return false;
            }
            if (roll <= 85) // sold by a transfer offer
            {
                var to = OtherOwner();
                Add(new OfferTransfer(id, to.Id, _owner.Actor, Later(24, 24 * 30)));
                if (last && r.Bool(0.05f)) return true;
                var answer = r.Number(1, 100);
                if (answer <= 85) { Add(new AcceptTransfer(id, to.Actor, Later(1, 72))); _owner = to; }
                else if (answer <= 95) Add(new DeclineTransfer(id, to.Actor, Later(1, 72)));
                else Add(new WithdrawTransfer(id, _owner.Actor, Later(1, 72)));
                return false;
            }
            // sold through a trading center (挂牌交易): out for trade, returned to the buyer
            var tc = Pick(cast.TradingCenterList);
            Add(new TransferOut(id, tc.Id, new HashSet<Role>(), VenuePurpose.Trade, _owner.Actor, Later(24, 24 * 20)));
            if (last && r.Bool(0.1f)) return true;
            var buyer = r.Bool(0.8f) ? OtherOwner() : null;
            Add(new ReturnAsset(id, buyer?.Id, tc.Actor, Later(24, 24 * 15)));
            if (buyer is not null) _owner = buyer;
            return false;
        }

        readonly Dictionary<string, SeedParticipant> _freezers = [];

        string Freeze()
        {
            var by = Pick(cast.Regulators);
            var freezeId = $"frz-{index}-{++_freezes}";
            _freezers[freezeId] = by;
            var judicial = by.Name.EndsWith("法院", StringComparison.Ordinal);
            Add(new FreezeAsset(id, freezeId, judicial ? FreezeAuthority.Judicial : FreezeAuthority.Regulatory,
                judicial ? $"（{_now.Year}）民事裁定书 第 {r.Number(100, 9999)} 号：诉讼保全" : "涉嫌重复质押，监管核查", by.Actor, Later(24, 24 * 10)));
            return freezeId;
        }

        Actor FreezerOf(string freezeId) => _freezers[freezeId].Actor;

        Actor Canceller(AssetKind kind, SeedParticipant confirmer) => kind == AssetKind.WarehouseReceipt ? confirmer.Actor : _owner.Actor;
    }
}
