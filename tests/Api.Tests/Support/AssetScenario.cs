using System.Net;

namespace AssetLedger.Api.Tests.Support;

/// <summary>Participants and assets in known states, set up over the API itself.</summary>
public static class AssetScenario
{
    public static Task Cast(ApiServer api) => api.Participants(
        ("owner-a", "Owner"), ("owner-z", "Owner"), ("buyer-b", "Owner"), ("wh-1", "Warehouse"), ("wh-2", "Warehouse"), ("tc-1", "TradingCenter"),
        ("bank-1", "FinancialInstitution"), ("reg-1", "Regulator"), ("debtor-1", "Debtor"), ("log-1", "Logistics"));

    public static object Receipt(string? number = null) => new
    {
        kind = "WarehouseReceipt", ownerId = "owner-a", warehouseId = "wh-1", receiptNumber = number ?? $"WR-{Guid.NewGuid():N}",
        commodity = "crude oil", quantity = "1200.5", unit = "bbl",
    };

    public static async Task<string> Pending(ApiServer api)
    {
        var r = await api.Post("/api/v1/assets", "owner-a", Receipt());
        Assert.True(r.Status == HttpStatusCode.Created, r.ToString());
        return r.Json["assetId"]!.GetValue<string>();
    }

    public static async Task<string> Active(ApiServer api)
    {
        var id = await Pending(api);
        await Ok(api.Post($"/api/v1/assets/{id}/confirmations", "wh-1", new { approve = true }));
        await Ok(api.Post($"/api/v1/assets/{id}/confirmations", "tc-1", new { approve = true }));
        return id;
    }

    public static async Task<Reply> Ok(Task<Reply> call)
    {
        var r = await call;
        Assert.True(r.Status == HttpStatusCode.OK, r.ToString());
        return r;
    }
}
