using AssetLedger.Domain.Devices.Alarms;

namespace AssetLedger.Domain.Tests.Properties;

/// <summary>
/// Draws the next command for a random walk over one asset. Each command goes, most of the time, to the actor the
/// command table would admit in the current state (so walks reach deep states: confirmed, offered, pledged, frozen),
/// otherwise to anyone in the cast; arguments are mostly valid and sometimes not.
/// </summary>
public sealed class RandomCommands(Random rng, AssetKind kind)
{
    const double Plausible = 0.7;
    static readonly Actor TwoRoles = Actor.Of("tc-reg", Role.TradingCenter, Role.Regulator);
    static readonly IReadOnlyList<Actor> Cast = [.. Actors.All, TwoRoles];
    static readonly string[] FreezeIds = ["freeze-1", "freeze-2", "freeze-3"];
    static readonly string[] Hashes = [EvidenceHash, ContentHash, EvidenceHash.ToUpperInvariant(), "abc", ""];

    DateTimeOffset _at = Now;
    // The walk follows one stream; after a split, one of the parts.
    AssetId _id = Asset;

    public IAssetCommand Next(AssetState s)
    {
        _at = _at.AddMinutes(1);
        _id = s.Exists ? s.Id : Asset;
        if (!s.Exists) return rng.NextDouble() < 0.9 ? NewRegistration() : Any(s);
        if (s.Status == AssetStatus.Pending && rng.NextDouble() < 0.5) return NewConfirmation(s);
        if (s.PendingRelease is not null && rng.NextDouble() < 0.7)
            return Chance(0.6) ? new AnswerRelease(_id, Chance(0.5), null, Pick(s.Custody?.Venue), _at) : NewRelease(s);
        // Alarms now and then; an open one is cleared often enough that the walk goes on to other states.
        if (s.Alarms.Values.Any(a => a.Severity == AlarmSeverity.Critical) && rng.NextDouble() < 0.6) return NewClearance(s);
        if (rng.NextDouble() < 0.03) return NewAlarm();
        if (!s.Alarms.IsEmpty && rng.NextDouble() < 0.1) return NewClearance(s);
        return Any(s);
    }

    IAssetCommand Any(AssetState s) => rng.Next(20) switch
    {
        0 => NewRegistration(),
        1 => NewConfirmation(s),
        2 => new AmendAsset(_id, NewChanges(), Pick(s.Owner), _at),
        3 => new OfferTransfer(_id, Participant(), Pick(s.Owner), _at),
        4 => new AcceptTransfer(_id, Pick(s.PendingOffer?.To), _at),
        5 => new DeclineTransfer(_id, Pick(s.PendingOffer?.To), _at),
        6 => new WithdrawTransfer(_id, Pick(s.Owner), _at),
        7 => NewTransferOut(s),
        8 => new ReturnAsset(_id, Chance(0.5) ? null : Participant(), Pick(s.Custody?.Venue), _at),
        9 => NewFreeze(),
        10 => new UnfreezeAsset(_id, s.Freezes.IsEmpty || Chance(0.2) ? OneOf(FreezeIds) : OneOf(s.Freezes.Keys.ToArray()), null, Pick(Regulator.Id), _at),
        11 => new CancelAsset(_id, Chance(0.95) ? "released" : "", Pick(s.Kind == AssetKind.WarehouseReceipt ? Warehouse.Id : s.Owner), _at),
        12 => new AttachEvidence(_id, Chance(0.9) ? EvidenceHash : OneOf(Hashes), Chance(0.95) ? "application/pdf" : "", null, "upload",
                  Pick(OneOf([s.Owner, Warehouse.Id, Debtor.Id, TradingCenter.Id, ParticipantId.System])), _at),
        13 or 16 => NewRelease(s),
        14 => new AnswerRelease(_id, Chance(0.7), null, Pick(s.Custody?.Venue), _at),
        17 or 18 => NewSplit(s),
        15 => new ExpireAsset(_id, Pick(ParticipantId.System), _at = _at.AddDays(rng.Next(0, 9))),
        _ => NewConfirmation(s) is ConfirmAsset c && Chance(0.3) ? c with { Approve = false } : NewConfirmation(s),
    };

    IAssetCommand NewRegistration()
    {
        var owner = OneOf([Owner, Owner, Buyer, Logistics, Bank]);
        var details = DetailsOf(kind);
        if (Chance(0.05)) details = details with { Quantity = new Quantity("0", "t"), Amount = new Money("1e5", "CNY"), ContentSha256 = "abc" };
        var by = Chance(Plausible) ? (kind == AssetKind.WarehouseReceipt && Chance(0.3) ? Warehouse : owner) : OneOf(Cast);
        return new RegisterAsset(_id, kind, owner.Id, details, by, _at);
    }

    IAssetCommand NewConfirmation(AssetState s)
    {
        var open = s.RequiredConfirmers.Where(r => !s.Confirmations.ContainsKey(r.Slot)).ToList();
        var admitted = open.Count > 0 ? Cast.Where(open[rng.Next(open.Count)].Admits).ToList() : [];
        var by = Chance(Plausible) && admitted.Count > 0 ? OneOf(admitted) : OneOf(Cast);
        return new ConfirmAsset(_id, Chance(0.98), Chance(0.02) ? new string('x', 2001) : null, by, _at);
    }

    AssetDetails NewChanges() => rng.Next(8) switch
    {
        0 => new() { Description = $"note {rng.Next(5)}" },
        1 => new() { Title = $"title {rng.Next(5)}" },
        2 => new() { Quantity = new Quantity($"{rng.Next(1, 4)}00", "t") },
        3 => new() { Amount = new Money($"{rng.Next(1, 4)}000", "CNY") },
        4 => new() { MediaType = OneOf(["image/jpeg", "video/mp4"]) },
        5 => new() { ReceiptNumber = "WR-2" },
        6 => new() { Quantity = new Quantity(OneOf(["-1", "0", "1e5"]), "t") },
        _ => new() { Commodity = "crude oil" },
    };

    IAssetCommand NewTransferOut(AssetState s)
    {
        var venue = Chance(Plausible) ? OneOf([Bank, TradingCenter]) : OneOf(Cast);
        var purpose = Chance(Plausible) ? (venue.Has(Role.TradingCenter) ? VenuePurpose.Trade : VenuePurpose.Financing) : OneOf([VenuePurpose.Trade, VenuePurpose.Financing]);
        return new TransferOut(_id, venue.Id, venue.Roles, purpose, Pick(s.Owner), _at);
    }

    // Mostly by the warehouse or the venue, mostly a part, sometimes all, too much, a used or blank order, another unit.
    IAssetCommand NewRelease(AssetState s)
    {
        var quantity = rng.Next(6) switch
        {
            0 => s.Details.Quantity?.Value ?? "1",
            1 => "5000",
            2 => OneOf(["0", "-1", "1e2"]),
            3 => "0.25",
            _ => $"{rng.Next(1, 4)}00",
        };
        var by = Chance(0.5) ? Pick(Warehouse.Id) : Pick(s.Custody?.Venue ?? Warehouse.Id);
        return new ReleaseGoods(_id, OneOf(["DO-1", "DO-2", "DO-3", "DO-4", Chance(0.1) ? "" : "DO-5"]), quantity, Chance(0.9) ? null : OneOf(["t", "kg"]), by, _at);
    }

    // Mostly exact parts by the owner (or the venue while out), sometimes one part, parts that miss the whole, a used number.
    IAssetCommand NewSplit(AssetState s)
    {
        var whole = decimal.TryParse(s.Details.Quantity?.Value, System.Globalization.CultureInfo.InvariantCulture, out var w) ? w : 100m;
        var n = Chance(0.05) ? 1 : rng.Next(2, 5);
        var piece = Math.Floor(whole / n * 100) / 100;
        var quantities = Enumerable.Repeat(piece, n - 1).Append(whole - piece * (n - 1) + (Chance(0.1) ? OneOf([0.01m, -0.01m]) : 0m)).ToList();
        var parts = quantities.Select((q, i) => new SplitPartRequest(NewId(), Decimals.Canonical(q),
            i == 0 && Chance(0.1) ? OneOf(["WR-P", s.Details.ReceiptNumber ?? "WR-P"]) : null)).ToList();
        return new SplitAsset(_id, parts, Pick(s.Custody?.Venue ?? s.Owner), _at);
    }

    AssetId NewId()
    {
        var bytes = new byte[16];
        rng.NextBytes(bytes);
        return new AssetId(new Guid(bytes));
    }

    static readonly string[] AlarmIds = ["iot-1", "iot-2", "iot-3"];

    IAssetCommand NewAlarm() => new RaiseIotAlarm(_id, OneOf(AlarmIds), OneOf(["short-weight", "gate"]), 1, AlarmCondition.QuantityDeviation,
        Chance(0.5) ? AlarmSeverity.Critical : AlarmSeverity.Warning, OneOf(["wb-1", "wb-1", "wb-2"]), [rng.Next(1, 100)], Chance(0.97) ? "weight short" : "",
        Chance(Plausible) ? Device : OneOf(Cast), _at);

    IAssetCommand NewClearance(AssetState s)
    {
        var alarm = s.Alarms.IsEmpty || Chance(0.2) ? null : OneOf(s.Alarms.Values.ToArray());
        // Sometimes a party that has already agreed tries again.
        var by = alarm is { Clearances.Count: > 0 } && Chance(0.3) ? new ParticipantId(alarm.Clearances.First())
            : Chance(0.2) ? Regulator.Id : OneOf([Warehouse.Id, s.Custody?.Venue ?? s.Owner]);
        return new ClearIotAlarm(_id, alarm?.AlarmId ?? OneOf(AlarmIds), Chance(0.95) ? "re-weighed" : " ", Pick(by), _at);
    }

    IAssetCommand NewFreeze()
    {
        var authority = OneOf([FreezeAuthority.Judicial, FreezeAuthority.Regulatory, FreezeAuthority.IotAlarm]);
        var by = Chance(Plausible) ? (authority == FreezeAuthority.IotAlarm ? Device : Regulator) : OneOf(Cast);
        return new FreezeAsset(_id, OneOf(FreezeIds), authority, Chance(0.95) ? "order" : " ", by, _at);
    }

    /// <summary>Mostly the participant the table expects (when there is one), otherwise anyone.</summary>
    Actor Pick(ParticipantId? expected) =>
        expected is { Value: not null } id && Chance(Plausible) ? Cast.FirstOrDefault(a => a.Id == id) ?? Actor.Of(id.Value, Role.Owner) : OneOf(Cast);

    ParticipantId Participant() => Chance(0.03) ? new ParticipantId("Not An Id") : OneOf(Cast).Id;

    bool Chance(double p) => rng.NextDouble() < p;

    T OneOf<T>(IReadOnlyList<T> items) => items[rng.Next(items.Count)];
}
