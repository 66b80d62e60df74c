using System.Net;
using System.Text.Json.Nodes;
using static AssetLedger.Api.Tests.Support.AssetScenario;

namespace AssetLedger.Api.Tests.Support;

/// <summary>The README walk-through's receipt, plus a freeze and evidence, and waits for the read models and the ledger.</summary>
public static class TraceScenario
{
    public sealed record Story(string Id, string ReceiptNumber, DateTimeOffset BeforeSale, DateTimeOffset DuringPledge);

    /// <summary>
    /// Registers WR-… at wh-1 for owner-a; wh-1 and tc-1 confirm; owner-a pledges it to bank-1, reg-1 freezes and unfreezes it,
    /// bank-1 returns it; wh-1 attaches a weighbridge reading; owner-a sells it to buyer-b; wh-1 cancels it. 11 events.
    /// </summary>
    public static async Task<Story> ReadmeReceipt(ApiServer api, bool cancel = true)
    {
        var number = $"WR-2026-{Guid.NewGuid():N}"[..24];
        var created = await api.Post("/api/v1/assets", "owner-a", new
        {
            kind = "WarehouseReceipt", ownerId = "owner-a", warehouseId = "wh-1", receiptNumber = number, commodity = "crude oil", quantity = "1200.5", unit = "bbl",
        });
        Assert.True(created.Status == HttpStatusCode.Created, created.ToString());
        var id = created.Json["assetId"]!.GetValue<string>();
        var a = $"/api/v1/assets/{id}";
        await Ok(api.Post($"{a}/confirmations", "wh-1", new { approve = true, comment = "tank 7 inspected" }));
        await Ok(api.Post($"{a}/confirmations", "tc-1", new { approve = true }));
        await Ok(api.Post($"{a}/transfer-out", "owner-a", new { venueId = "bank-1", purpose = "Financing" }));
        var duringPledge = DateTimeOffset.UtcNow;
        await Ok(api.Post($"{a}/freeze", "reg-1", new { freezeId = "frz-court-1", reason = "court order (2026) Hu 01 Zhi 123", authority = "Judicial" }));
        await Ok(api.Post($"{a}/unfreeze", "reg-1", new { freezeId = "frz-court-1", reason = "order lifted" }));
        await Ok(api.Post($"{a}/return", "bank-1", new { }));
        await Ok(api.Post($"{a}/evidence", "wh-1", new { sha256 = new string('a', 64), mediaType = "application/json", description = "weighbridge reading" }));
        var beforeSale = DateTimeOffset.UtcNow;
        await Task.Delay(20);
        await Ok(api.Post($"{a}/transfer-offer", "owner-a", new { toId = "buyer-b" }));
        await Ok(api.Post($"{a}/transfer-offer/accept", "buyer-b", new { }));
        if (cancel) await Ok(api.Post($"{a}/cancel", "wh-1", new { reason = "goods released to buyer-b" }));
        return new Story(id, number, beforeSale, duringPledge);
    }

    /// <summary>Waits until the read models include the whole log and, with <paramref name="anchored"/>, every event is anchored.</summary>
    public static async Task Settled(ApiServer api, bool anchored = true)
    {
        for (var i = 0; i < 300; i++)
        {
            var head = await api.Scalar("SELECT last_position FROM event_sequence");
            var projected = await api.Scalar("SELECT coalesce(min(position), 0) FROM projection_checkpoints");
            var anchoredSize = await api.Scalar("SELECT coalesce(min(last_size), 0) FROM anchor_cursors");
            if (projected >= head && (!anchored || anchoredSize >= head)) return;
            await Task.Delay(50);
        }
        throw new TimeoutException("The read models or the ledger did not catch up within 15 s.");
    }

    public static JsonArray Array(Reply r, string name) => r.Json[name]!.AsArray();
}
