using System.Net;
using AssetLedger.Api.Tests.Support;
using AssetLedger.Application.Participants;
using AssetLedger.Application.Ports;
using AssetLedger.Infrastructure.EventStore;
using Microsoft.Extensions.DependencyInjection;
using static AssetLedger.Api.Tests.Support.AssetScenario;

namespace AssetLedger.Api.Tests;

/// <summary>
/// The caller view keeps at most AssetLedger:CallerView:Capacity streams (issue 21): the least recently read caller is
/// dropped to make room, read whole again at its next request, and seen as it is then, a suspension above all.
/// </summary>
public sealed class callers_dropped_from_a_full_view : IAsyncLifetime
{
    readonly the_caller_is_read_in_one_round_trip.CountingStore _counted = new();
    readonly ApiServer _api;

    public callers_dropped_from_a_full_view() => _api = new ApiServer
    {
        // Room for one caller: its user's stream and its participant's.
        Settings = new Dictionary<string, string> { ["AssetLedger:CallerView:Capacity"] = "2" },
        ConfigureServices = s => s.AddSingleton<IEventStore>(sp => _counted.Over(sp.GetRequiredService<PostgresEventStore>())),
    };

    public async Task InitializeAsync()
    {
        await _api.InitializeAsync();
        await Cast(_api);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task a_caller_dropped_for_another_is_read_again_at_its_next_request_and_seen_as_it_is_then()
    {
        await _api.Token("owner-a");
        await _api.Token("wh-1");
        await _api.ProjectionsCaughtUp(); // the participant projection reads participant streams as it applies their events
        var view = _api.Service<CallerStreamView>();
        Assert.Equal(2, view.Capacity);

        Assert.Equal(HttpStatusCode.OK, (await _api.Get("/api/v1/assets", "owner-a")).Status);
        Assert.Equal(HttpStatusCode.OK, (await _api.Get("/api/v1/assets", "owner-a")).Status);
        Assert.Equal(HttpStatusCode.OK, (await _api.Get("/api/v1/assets", "wh-1")).Status);
        Assert.True(view.Count <= 2);
        _counted.Clear();

        Assert.Equal(HttpStatusCode.OK, (await _api.Get("/api/v1/assets", "owner-a")).Status);
        Assert.Contains(_counted.GroupReads, streams => streams.Contains("participant-owner-a"));

        // Dropped again (the operator's own streams take the room), then suspended: the reload sees the suspension.
        Assert.Equal(HttpStatusCode.OK, (await _api.Post("/api/v1/participants/owner-a/suspension", "operator", new { reason = "licence expired" })).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.Get("/api/v1/assets", "owner-a")).Status);
    }
}
