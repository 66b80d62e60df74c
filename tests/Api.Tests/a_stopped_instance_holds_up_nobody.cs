using System.Diagnostics;
using System.Net;
using AssetLedger.Api.Tests.Support;
using AssetLedger.Infrastructure.Tests.Support;
using Npgsql;
using static AssetLedger.Api.Tests.Support.AssetScenario;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 15 item 2: a process that stops (SIGSTOP, as a GC pause, a VM stall or a partition would) while its session
/// holds the locks of the sequence, the Merkle tree, the checkpoint head and the projections' cursors, idle in
/// transaction, holds up the other instances only until the session bound the service's connections carry ends it.
/// The stopped process is a real one (psql) whose session carries the API's own connection settings.
/// </summary>
public sealed class a_stopped_instance_holds_up_nobody(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    const string Name = "stopped-instance";

    public Task InitializeAsync() => Cast(api);
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task writes_checkpoints_and_projections_go_on_while_it_is_stopped()
    {
        await Pending(api);
        var settings = new NpgsqlConnectionStringBuilder(api.Service<NpgsqlDataSource>().ConnectionString);
        var psi = new ProcessStartInfo(PostgresTools.Program("psql"))
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            Environment = { ["PGOPTIONS"] = settings.Options ?? "", ["PGAPPNAME"] = Name },
        };
        foreach (var a in new[] { "-X", "-q", "-h", settings.Host!, "-p", settings.Port.ToString(), "-U", "postgres", "-d", settings.Database! }) psi.ArgumentList.Add(a);
        using var stopped = Process.Start(psi)!;
        try
        {
            await stopped.StandardInput.WriteLineAsync("""
                BEGIN;
                SELECT last_position FROM event_sequence WHERE id = 1 FOR UPDATE;
                SELECT size FROM merkle_tree WHERE id = 1 FOR UPDATE;
                SELECT tree_size FROM checkpoint_head WHERE id = 1 FOR UPDATE;
                SELECT count(*) FROM (SELECT name FROM projection_checkpoints FOR UPDATE) AS locked;
                """);
            await stopped.StandardInput.FlushAsync();
            await Eventually.WaitUntil(async () => await api.Scalar(
                $"SELECT count(*) FROM pg_stat_activity WHERE application_name = '{Name}' AND state = 'idle in transaction'") == 1, "psql to hold the locks");
            Signal("STOP", stopped.Id);

            var written = await api.Post("/api/v1/assets", "owner-a", Receipt());
            Assert.True(written.Status == HttpStatusCode.Created, written.ToString());
            var position = written.Json["events"]![0]!["position"]!.GetValue<long>();
            await Eventually.WaitUntil(async () => await api.Scalar("SELECT coalesce(max(tree_size), 0) FROM checkpoints") >= position, "a checkpoint over the new event");
            await Eventually.WaitUntil(async () => await api.Scalar("SELECT min(position) FROM projection_checkpoints") >= position, "the projections to pass the new event");
            Assert.Equal(0, await api.Scalar($"SELECT count(*) FROM pg_stat_activity WHERE application_name = '{Name}'"));
        }
        finally
        {
            Signal("CONT", stopped.Id);
            stopped.Kill();
            await stopped.WaitForExitAsync();
        }
    }

    static void Signal(string signal, int pid) => PostgresTools.Run("kill", [$"-{signal}", pid.ToString()]);
}
