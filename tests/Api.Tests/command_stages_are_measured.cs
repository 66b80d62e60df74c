using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using AssetLedger.Api.Tests.Support;
using AssetLedger.Application.Diagnostics;
using OpenTelemetry.Trace;
using static AssetLedger.Api.Tests.Support.AssetScenario;

namespace AssetLedger.Api.Tests;

/// <summary>What an operator sees per stage of a command (README, "Seeing where a command's time goes").</summary>
public sealed class command_stages_are_measured(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    public Task InitializeAsync() => Cast(api);
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task a_command_over_http_records_each_of_its_stages()
    {
        var seen = new ConcurrentDictionary<string, int>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == Stages.Name && instrument.Name == Stages.DurationInstrument) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((_, seconds, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag.Key == "stage" && seconds >= 0) seen.AddOrUpdate((string)tag.Value!, 1, (_, n) => n + 1);
        });
        listener.Start();

        var answer = await api.Post("/api/v1/assets", "owner-a", Receipt(), ("Idempotency-Key", Guid.NewGuid().ToString()));

        Assert.Equal(HttpStatusCode.Created, answer.Status);
        string[] stages = [Stages.Session, Stages.IdempotencyReserve, Stages.Prepare, Stages.Load, Stages.Decide, Stages.Append, Stages.GroupCommit, Stages.IdempotencyAnswer];
        Assert.All(stages, stage => Assert.True(seen.ContainsKey(stage), $"no measurement of {stage}; seen: {string.Join(", ", seen.Keys)}"));
    }

    [Fact]
    public void without_an_otlp_endpoint_no_exporter_is_registered()
    {
        // Nothing listens unless an operator asks for export: the stages then cost next to nothing.
        Assert.Null(api.Service<IServiceProvider>().GetService(typeof(TracerProvider)));
    }
}

public sealed class command_stages_are_exported
{
    [Fact]
    public async Task with_an_otlp_endpoint_the_tracer_listens_to_the_stages()
    {
        // Nothing listens at that address: failed exports are the SDK's to drop, and no request waits for them.
        await using var api = new ApiServer { Settings = new Dictionary<string, string> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9" } };
        await api.InitializeAsync();

        Assert.NotNull(api.Service<IServiceProvider>().GetService(typeof(TracerProvider)));
        Assert.True(Stages.Source.HasListeners());
    }
}
