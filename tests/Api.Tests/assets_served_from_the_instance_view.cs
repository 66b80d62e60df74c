using System.Net;
using AssetLedger.Api.Tests.Support;
using AssetLedger.Application.Commands;
using AssetLedger.Application.Participants;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using AssetLedger.Infrastructure.EventStore;
using Microsoft.Extensions.DependencyInjection;
using static AssetLedger.Api.Tests.Support.AssetScenario;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 21: GET /assets/{id} and asset commands take the asset from the instance's view (CallerStreamView), fed by the log
/// and exact as of the round the request's session check waited for. A kept asset is served and commanded with no read of
/// its stream; one dropped for room (AssetLedger:CallerView:AssetCapacity) is read whole again; one too long for the view
/// is folded the usual way; and a write answered by one instance is seen by the next GET on another.
/// </summary>
public sealed class assets_served_from_the_instance_view : IAsyncLifetime
{
    readonly the_caller_is_read_in_one_round_trip.CountingStore _counted = new();
    readonly ApiServer _api;

    public assets_served_from_the_instance_view() => _api = new ApiServer
    {
        Settings = new Dictionary<string, string> { ["AssetLedger:CallerView:AssetCapacity"] = "2" },
        ConfigureServices = s => s.AddSingleton<IEventStore>(sp => _counted.Over(sp.GetRequiredService<PostgresEventStore>())),
    };

    public async Task InitializeAsync()
    {
        await _api.InitializeAsync();
        await Cast(_api);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    static string StreamOf(string id) => $"asset-{id}";

    bool Read(string id) => _counted.SingleReads.Contains(StreamOf(id)) || _counted.GroupReads.Any(g => g.Contains(StreamOf(id)));

    [Fact]
    public async Task a_kept_asset_is_served_and_commanded_with_no_read_of_its_stream()
    {
        var id = await Active(_api);
        Assert.Equal("\"3\"", (await Ok(_api.Get($"/api/v1/assets/{id}", "owner-a"))).ETag);
        await _api.ProjectionsCaughtUp();
        _counted.Clear();

        Assert.Equal("\"3\"", (await Ok(_api.Get($"/api/v1/assets/{id}", "owner-a"))).ETag);
        Assert.False(Read(id), "the GET read the asset's stream");

        Assert.Equal("\"4\"", (await Ok(_api.Post($"/api/v1/assets/{id}/transfer-offer", "owner-a", new { toId = "buyer-b" }))).ETag);
        Assert.False(Read(id), "the command read the asset's stream");

        var after = await Ok(_api.Get($"/api/v1/assets/{id}", "owner-a"));
        Assert.Equal("\"4\"", after.ETag);
        Assert.Equal("buyer-b", after.Json["pendingOffer"]?["toId"]?.GetValue<string>());
        Assert.False(Read(id), "the GET after the command read the asset's stream");
        Assert.True(_api.Service<CallerStreamView>().Keeps(StreamOf(id)));
    }

    [Fact]
    public async Task an_asset_dropped_for_room_is_read_whole_again_and_seen_as_it_is_then()
    {
        var view = _api.Service<CallerStreamView>();
        Assert.Equal(2, view.AssetCapacity);
        string[] ids = [await Pending(_api), await Pending(_api), await Pending(_api)];
        foreach (var id in ids) await Ok(_api.Get($"/api/v1/assets/{id}", "owner-a"));
        Assert.True(view.AssetCount <= 2);
        Assert.False(view.Keeps(StreamOf(ids[0])));
        await _api.ProjectionsCaughtUp();
        _counted.Clear();

        // Changed while out of the view: the command reads it whole, and so the GET sees the confirmation.
        Assert.Equal("\"2\"", (await Ok(_api.Post($"/api/v1/assets/{ids[0]}/confirmations", "wh-1", new { approve = true }))).ETag);
        Assert.True(Read(ids[0]), "the dropped asset was not read again");
        Assert.Contains(StreamOf(ids[0]), _counted.SingleReads); // alone, through the plain stream read
        Assert.Equal("\"2\"", (await Ok(_api.Get($"/api/v1/assets/{ids[0]}", "owner-a"))).ETag);
    }

    [Fact]
    public async Task an_asset_whose_stream_exceeds_the_page_is_folded_the_usual_way()
    {
        var id = await Pending(_api);
        var asset = new AssetId(Guid.ParseExact(id, "N"));
        var evidence = Enumerable.Range(0, CallerStreamView.Page).Select(i => (IAssetEvent)new EvidenceAttached(asset, Convert.ToHexStringLower(
            System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i))), "application/pdf", null, "test", new ParticipantId("owner-a"), DateTimeOffset.UtcNow)).ToList();
        var appended = await _api.Service<IEventStore>().Append(new AppendRequest(StreamOf(id), 1,
            CommandService.ToAppend(evidence, Actor.SystemActor, new CommandContext(User: "test"))), CancellationToken.None);
        Assert.True(appended.Succeeded, appended.Status.ToString());
        _counted.Clear();

        var got = await Ok(_api.Get($"/api/v1/assets/{id}", "owner-a"));

        Assert.Equal($"\"{CallerStreamView.Page + 1}\"", got.ETag);
        Assert.Equal(CallerStreamView.Page, got.Json["evidenceCount"]?.GetValue<int>());
        Assert.Contains(StreamOf(id), _counted.SingleReads); // the usual fold, a page at a time
        Assert.False(_api.Service<CallerStreamView>().Keeps(StreamOf(id)));
    }

    [Fact]
    public async Task a_write_answered_by_one_instance_is_seen_by_the_next_get_on_another()
    {
        var id = await Active(_api);
        var second = await _api.SecondInstance();
        try
        {
            var token = await second.Login(ApiServer.LoginOf("owner-a"), ApiServer.UserPassword);
            var bearer = token.Json["accessToken"]!.GetValue<string>();
            // The second instance keeps the asset in its view.
            Assert.Equal("\"3\"", (await second.SendRaw(HttpMethod.Get, $"/api/v1/assets/{id}", bearer, null)).ETag);
            Assert.Equal("\"3\"", (await second.SendRaw(HttpMethod.Get, $"/api/v1/assets/{id}", bearer, null)).ETag);
            Assert.True(second.Service<CallerStreamView>().Keeps(StreamOf(id)));

            for (var round = 0; round < 5; round++)
            {
                var offered = await Ok(_api.Post($"/api/v1/assets/{id}/transfer-offer", "owner-a", new { toId = "buyer-b" }));
                Assert.Equal(offered.ETag, (await second.SendRaw(HttpMethod.Get, $"/api/v1/assets/{id}", bearer, null)).ETag);
                // And a command on the second instance decides on that state: no conflict to retry.
                var withdrawn = await second.SendRaw(HttpMethod.Post, $"/api/v1/assets/{id}/transfer-offer/withdraw", bearer, "{}");
                Assert.True(withdrawn.Status == HttpStatusCode.OK, withdrawn.ToString());
                Assert.Equal(withdrawn.ETag, (await _api.Get($"/api/v1/assets/{id}", "owner-a")).ETag);
            }
        }
        finally { await second.DisposeAsync(); }
    }
}
