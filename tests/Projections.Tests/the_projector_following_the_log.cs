using AssetLedger.Infrastructure.EventStore;
using AssetLedger.Infrastructure.Tests.Support;
using AssetLedger.Projections.Tests.Support;
using Microsoft.Extensions.Logging;

namespace AssetLedger.Projections.Tests;

/// <summary>
/// <see cref="ProjectionRunner.RunAsync"/>'s pause (issue 21): after a round that applied events it waits before it reads the
/// log again, so that under load one batch takes what many commits wrote; when it found nothing, a notification wakes it at once.
/// </summary>
public sealed class the_projector_following_the_log : IAsyncLifetime
{
    // A database of its own per test (xunit makes the class afresh for each): the positions below count from an empty log.
    readonly PostgresDatabase db = new();
    public Task InitializeAsync() => db.InitializeAsync();
    public Task DisposeAsync() => db.DisposeAsync();

    [Fact]
    public async Task pauses_after_a_round_that_applied_events_then_takes_what_was_written_meanwhile_in_one_batch()
    {
        await using var store = new PostgresEventStore(db.DataSource);
        await Cast.RegisterAll(store, [Cast.Owners[0]]);
        var batches = new Batches();
        var runner = new ProjectionRunner(db.DataSource, store, batches, new ProjectionOptions { Pause = TimeSpan.FromSeconds(3) });
        using var stop = new CancellationTokenSource();
        var running = runner.RunAsync(stop.Token);

        await Projected(runner, 1, TimeSpan.FromSeconds(10));
        // The round that took the first event is pausing now: four commits of their own land during its pause.
        await Cast.RegisterAll(store, Cast.Owners[1..5]);
        await Task.Delay(300);
        Assert.Equal(1, (await runner.Status(default)).Checkpoint);

        await Projected(runner, 5, TimeSpan.FromSeconds(15));
        await stop.CancelAsync();
        await running;
        Assert.Equal([(1L, 1L), (2L, 5L)], batches.Taken);
    }

    [Fact]
    public async Task an_idle_projector_takes_a_new_event_at_once_not_after_its_pause()
    {
        await using var store = new PostgresEventStore(db.DataSource);
        await Cast.RegisterAll(store, [Cast.Owners[0]]);
        await new ProjectionRunner(db.DataSource, store).CatchUp(default);
        var runner = new ProjectionRunner(db.DataSource, store, options: new ProjectionOptions { Pause = TimeSpan.FromMinutes(5) });
        using var stop = new CancellationTokenSource();
        var running = runner.RunAsync(stop.Token);
        await Task.Delay(300); // its first round finds nothing, and it listens

        await Cast.RegisterAll(store, [Cast.Owners[1]]);

        await Projected(runner, 2, TimeSpan.FromSeconds(20));
        await stop.CancelAsync();
        await running;
    }

    static async Task Projected(ProjectionRunner runner, long position, TimeSpan within)
    {
        var until = DateTime.UtcNow + within;
        while ((await runner.Status(default)).Checkpoint < position)
        {
            Assert.True(DateTime.UtcNow < until, $"the read models did not reach position {position} within {within.TotalSeconds} s");
            await Task.Delay(20);
        }
    }

    /// <summary>The runner's "Projected events {From}–{To}" records: the batches it applied, in order.</summary>
    sealed class Batches : ILogger<ProjectionRunner>
    {
        readonly List<(long, long)> _taken = [];
        public IReadOnlyList<(long From, long To)> Taken { get { lock (_taken) return [.. _taken]; } }
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is not IReadOnlyList<KeyValuePair<string, object?>> values) return;
            var from = values.FirstOrDefault(v => v.Key == "From").Value;
            var to = values.FirstOrDefault(v => v.Key == "To").Value;
            if (from is long f && to is long t) lock (_taken) _taken.Add((f, t));
        }
    }
}
