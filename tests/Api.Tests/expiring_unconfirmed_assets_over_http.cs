using System.Net;
using AssetLedger.Api.Tests.Support;
using AssetLedger.Application.Assets;
using static AssetLedger.Api.Tests.Support.AssetScenario;

namespace AssetLedger.Api.Tests;

/// <summary>The API with a 2-second confirmation window for receipts and a sweep that runs only at start (then hourly).</summary>
public sealed class ExpiryServer : IAsyncLifetime
{
    public ApiServer Api { get; } = new()
    {
        Settings = new Dictionary<string, string>
        {
            ["AssetLedger:Assets:ConfirmationWindow:WarehouseReceipt"] = "00:00:02",
            ["AssetLedger:Assets:ExpirySweepInterval"] = "01:00:00",
        },
    };
    public Task InitializeAsync() => Api.InitializeAsync();
    public Task DisposeAsync() => Api.DisposeAsync();
}

/// <summary>
/// Issue 17 item 3 over HTTP: a Pending receipt whose confirmations are not all in within the window expires with an
/// event saying so, exactly once however many instances sweep at the same moment, and also when every instance that
/// saw it registered has stopped (the timer is the sweep over the read model, not memory).
/// </summary>
public sealed class expiring_unconfirmed_assets_over_http(ExpiryServer server) : IClassFixture<ExpiryServer>, IAsyncLifetime
{
    ApiServer Api => server.Api;
    public Task InitializeAsync() => Cast(Api);
    public Task DisposeAsync() => Task.CompletedTask;

    async Task<string> Status(string id) => (await Api.Get($"/api/v1/assets/{id}", "owner-a")).Json["status"]!.GetValue<string>();

    [Fact]
    public async Task two_instances_sweeping_at_once_expire_each_overdue_asset_exactly_once()
    {
        var pending = new List<string>();
        for (var i = 0; i < 12; i++) pending.Add(await Pending(Api));
        var confirmed = await Active(Api);
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        await Api.ProjectionsCaughtUp();

        // A second instance starts (and sweeps as it starts) while the first sweeps twice and then the second twice more.
        var starting = Api.SecondInstance();
        await Task.WhenAll(Api.Service<ConfirmationExpiry>().Sweep(default), Api.Service<ConfirmationExpiry>().Sweep(default));
        await using var second = await starting;
        await Task.WhenAll(second.Service<ConfirmationExpiry>().Sweep(default), second.Service<ConfirmationExpiry>().Sweep(default));

        var streams = string.Join(",", pending.Select(id => $"'asset-{id}'"));
        Assert.Equal(pending.Count, await Api.Scalar($"SELECT count(*) FROM events WHERE type = 'asset-expired' AND stream_id IN ({streams})"));
        Assert.Equal(pending.Count, await Api.Scalar($"SELECT count(DISTINCT stream_id) FROM events WHERE type = 'asset-expired' AND stream_id IN ({streams})"));
        foreach (var id in pending) Assert.Equal("Expired", await Status(id));
        Assert.Equal("Active", await Status(confirmed));

        var late = await Api.Post($"/api/v1/assets/{pending[0]}/confirmations", "wh-1", new { approve = true });
        Assert.True(late.Status == HttpStatusCode.Conflict, late.ToString());
        Assert.Equal("asset.closed", late.Json["code"]!.GetValue<string>());
        await Api.ProjectionsCaughtUp();
        var trace = await Api.Get($"/api/v1/trace/assets/{pending[0]}", "reg-1");
        Assert.Contains(trace.Json["events"]!.AsArray(), e => e!["summary"]!.GetValue<string>().StartsWith("Expired: the confirmations warehouse, trading-center were not in by"));
        Assert.Equal(0, await Api.Service<ConfirmationExpiry>().Sweep(default));
    }

    [Fact]
    public async Task an_instance_started_after_the_deadline_expires_what_others_registered()
    {
        string id;
        await using (var first = await Api.SecondInstance()) id = await Pending(first);
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        await Api.ProjectionsCaughtUp();

        // A fresh instance sweeps once as it starts.
        await using var restarted = await Api.SecondInstance();
        for (var i = 0; i < 100 && await Status(id) != "Expired"; i++) await Task.Delay(100);
        Assert.Equal("Expired", await Status(id));
    }
}
