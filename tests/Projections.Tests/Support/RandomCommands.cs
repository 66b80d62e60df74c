using AssetLedger.Application.Assets;
using AssetLedger.Application.Commands;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using static AssetLedger.Projections.Tests.Support.Cast;

namespace AssetLedger.Projections.Tests.Support;

/// <summary>
/// Drives random commands through the real handler, so each is a real decision and many are refused.
/// Most commands fit the asset's last known state and are sent by the party who may send them; the rest
/// are sent by anyone, in any state. A fixed seed gives the same commands per asset on every run.
/// </summary>
public sealed class RandomCommands(AssetCommandHandler handler, int seed, DateTimeOffset start)
{
    readonly Random _rng = new(seed);
    readonly Dictionary<AssetId, AssetState> _known = [];
    DateTimeOffset _now = start;
    public int Succeeded { get; private set; }
    public int Refused { get; private set; }

    public async Task Run(IReadOnlyList<AssetId> assets, int commands, CancellationToken ct = default)
    {
        for (var i = 0; i < commands; i++)
        {
            var id = assets[_rng.Next(assets.Count)];
            var state = _known.GetValueOrDefault(id) ?? AssetState.Initial;
            _now = _now.AddSeconds(1 + _rng.Next(600));
            var outcome = await handler.Handle(new ExecuteAssetCommand(Next(id, state), new CommandContext()), ct);
            if (outcome.Ok) { Succeeded++; _known[id] = outcome.State!; }
            else Refused++;
        }
    }

    T Pick<T>(IReadOnlyList<T> from) => from[_rng.Next(from.Count)];
    bool Chance(double p) => _rng.NextDouble() < p;
    /// <summary>The right party most of the time, anyone otherwise.</summary>
    Actor Mostly(Actor right) => Chance(0.85) ? right : Pick(Everyone);
    Actor ById(ParticipantId id) => Everyone.First(a => a.Id == id);

    IAssetCommand Next(AssetId id, AssetState s)
    {
        if (!s.Exists || Chance(0.05)) return Register(id);
        if (s.Status == AssetStatus.Pending) return Confirm(id, s);
        var owner = ById(s.Owner);
        if (s.PendingOffer is { } offer && Chance(0.7))
        {
            var to = ById(offer.To);
            return _rng.Next(3) switch
            {
                0 => new AcceptTransfer(id, Mostly(to), _now),
                1 => new DeclineTransfer(id, Mostly(to), _now),
                _ => new WithdrawTransfer(id, Mostly(owner), _now),
            };
        }
        if (s.Custody is { } custody && Chance(0.5))
            return new ReturnAsset(id, Chance(0.4) ? Pick(Owners).Id : null, Mostly(ById(custody.Venue)), _now);
        if (s.IsFrozen && Chance(0.4))
            return new UnfreezeAsset(id, Chance(0.9) ? s.Freezes.Keys.First() : "f-x", Chance(0.5) ? "lifted" : null, Mostly(Regulators[0]), _now);
        return _rng.Next(9) switch
        {
            0 => Amend(id, s, owner),
            1 => new OfferTransfer(id, Pick(Owners).Id, Mostly(owner), _now),
            2 => Chance(0.5)
                ? new TransferOut(id, Pick(Banks).Id, new HashSet<Role> { Role.FinancialInstitution }, VenuePurpose.Financing, Mostly(owner), _now)
                : new TransferOut(id, Pick(Centers).Id, new HashSet<Role> { Role.TradingCenter }, Chance(0.9) ? VenuePurpose.Trade : VenuePurpose.Financing, Mostly(owner), _now),
            3 => Chance(0.8)
                ? new FreezeAsset(id, $"f-{_rng.Next(3)}", Chance(0.5) ? FreezeAuthority.Judicial : FreezeAuthority.Regulatory, "court order", Mostly(Regulators[0]), _now)
                : new FreezeAsset(id, $"f-{_rng.Next(3)}", FreezeAuthority.IotAlarm, "goods left the gate", Actor.SystemActor, _now),
            4 => new CancelAsset(id, "released", Mostly(s.Kind == AssetKind.WarehouseReceipt ? ById(s.Details.Warehouse!.Value) : owner), _now),
            5 => new AttachEvidence(id, Sha(_rng.Next()), "application/pdf", null, "upload", Mostly(owner), _now),
            _ => new ConfirmAsset(id, true, null, Pick(Everyone), _now),
        };
    }

    RegisterAsset Register(AssetId id)
    {
        var owner = Pick(Owners);
        var details = _rng.Next(3) switch
        {
            0 => new AssetDetails
            {
                Warehouse = Pick(Warehouses).Id, ReceiptNumber = $"R-{_rng.Next(150)}", Commodity = Pick(Commodities),
                Quantity = new Quantity($"{_rng.Next(1, 5000)}.{_rng.Next(10)}", "t"),
            },
            1 => new AssetDetails
            {
                Debtor = Pick(Debtors).Id, BillNumber = $"B-{_rng.Next(150)}", Amount = new Money($"{_rng.Next(1, 1_000_000)}.00", "CNY"),
                DueDate = DateOnly.FromDateTime(_now.UtcDateTime).AddDays(90),
            },
            _ => new AssetDetails { Title = $"Scenic photo {_rng.Next(1000)}", ContentSha256 = Sha(_rng.Next(300)), MediaType = "image/jpeg" },
        };
        var kind = details.Warehouse is not null ? AssetKind.WarehouseReceipt : details.Debtor is not null ? AssetKind.Receivable : AssetKind.Intangible;
        var actor = kind == AssetKind.WarehouseReceipt && Chance(0.3) ? ById(details.Warehouse!.Value) : Mostly(owner);
        return new RegisterAsset(id, kind, owner.Id, details, actor, _now);
    }

    ConfirmAsset Confirm(AssetId id, AssetState s)
    {
        var open = s.RequiredConfirmers.Where(r => !s.Confirmations.ContainsKey(r.Slot)).ToList();
        var slot = open.Count > 0 ? Pick(open) : Pick(s.RequiredConfirmers);
        var right = slot.Named is { } named ? ById(named) : Pick(Everyone.Where(a => a.Has(slot.Role)).ToList());
        return new ConfirmAsset(id, Chance(0.93), Chance(0.3) ? "checked on site" : null, Mostly(right), _now);
    }

    AmendAsset Amend(AssetId id, AssetState s, Actor owner) => new(id, s.Kind switch
    {
        AssetKind.WarehouseReceipt => Chance(0.5) ? new AssetDetails { Quantity = new Quantity($"{_rng.Next(1, 5000)}", "t") } : new AssetDetails { Description = $"note {_rng.Next(100)}" },
        AssetKind.Receivable => Chance(0.5) ? new AssetDetails { Amount = new Money($"{_rng.Next(1, 1_000_000)}.50", "CNY") } : new AssetDetails { Description = $"note {_rng.Next(100)}" },
        _ => Chance(0.5) ? new AssetDetails { Title = $"Renamed {_rng.Next(1000)}" } : new AssetDetails { MediaType = "image/png" },
    }, Mostly(owner), _now);

    static readonly string[] Commodities = ["crude oil", "copper", "soybeans", "steel coil"];

    static string Sha(int n) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(n)));
}
