using System.Net;
using AssetLedger.Api.Tests.Support;
using AssetLedger.Application.Ports;
using AssetLedger.Cli;
using AssetLedger.Cli.Commands;
using AssetLedger.Infrastructure.Ledger;
using AssetLedger.Infrastructure.Tests.Support;
using Npgsql;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 15, "What to build" 3, played with the README's own scripts on a cluster of the test's own: WAL archiving
/// (scripts/backup.sh archive), a base backup (backup.sh base), then writes whose checkpoints the local anchor holds.
/// Restored with the archived WAL (restore.sh --wal) the registry has everything and serves writes. Restored from the
/// base backup alone it lacks the anchored checkpoints: it refuses writes, naming the newest one, until an operator
/// acknowledges the loss. A new, empty database given the same keys is another log, not a rollback: it is not refused.
/// </summary>
public sealed class restores_cannot_roll_back_silently : IAsyncLifetime
{
    readonly string _archive = Path.Combine(Path.GetTempPath(), "assetledger-archive-" + Guid.NewGuid().ToString("N")[..12]);
    readonly string _backup = Path.Combine(Path.GetTempPath(), "assetledger-backup-" + Guid.NewGuid().ToString("N")[..12]);
    readonly List<Func<Task>> _cleanup = [];
    ThrowawayCluster _cluster = null!;
    ApiServer _first = null!;

    public async Task InitializeAsync()
    {
        _cluster = await ThrowawayCluster.Create(data => Script("backup.sh", "archive", data, _archive));
        _first = new ApiServer { Server = _cluster.ConnectionString };
        await _first.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var dispose in Enumerable.Reverse(_cleanup)) await dispose();
        await _first.DisposeAsync();
        await _cluster.DisposeAsync();
        foreach (var dir in new[] { _archive, _backup }) try { Directory.Delete(dir, true); } catch (IOException) { }
    }

    static string Script(string name, params string[] args) => PostgresTools.Run("bash", [Path.Combine(BundleSchemaValidator.RepoRoot(), "scripts", name), .. args]);

    static object Participant(string id) => new { id, name = $"{id} Co., Ltd.", roles = new[] { "Owner" } };

    string Conninfo => $"host=127.0.0.1 port={_cluster.Port} user=postgres";
    string MarkFile => Path.Combine(_first.KeyDirectory, PublishedMark.FileName);

    /// <summary>A new cluster restored from the base backup (and the archive when <paramref name="withWal"/>), served by an API on the same keys.</summary>
    async Task<ApiServer> Restored(bool withWal)
    {
        var cluster = ThrowawayCluster.Empty();
        _cleanup.Add(async () => await cluster.DisposeAsync());
        Script("restore.sh", withWal ? [_backup, cluster.DataDirectory, "--wal", _archive] : [_backup, cluster.DataDirectory]);
        await cluster.Start();
        var api = new ApiServer { Server = cluster.ConnectionString, Database = new NpgsqlConnectionStringBuilder(_first.ConnectionString).Database, KeyDirectory = _first.KeyDirectory };
        await api.InitializeAsync();
        return api;
    }

    static Task<int> Cli(params string[] args) => CliApp.Create().Parse(args).InvokeAsync();

    [Fact]
    public async Task a_restore_from_before_an_anchored_checkpoint_refuses_writes_until_the_loss_is_acknowledged()
    {
        await _first.Participants(("owner-a", "Owner"));
        Script("backup.sh", "base", Conninfo, _backup);
        await _first.Participants(("owner-b", "Owner"));
        Assert.Equal(HttpStatusCode.Created, (await _first.Post("/api/v1/participants", "operator", Participant("owner-c"))).Status);
        string identity;
        await using (var db = NpgsqlDataSource.Create(_first.ConnectionString)) identity = await RollbackGuard.Identity(db, default);
        var head = (await _first.Get("/health/ready", null)).Json["headPosition"]!.GetValue<long>();
        await Eventually.WaitUntil(() => Task.FromResult(PublishedMark.Read(MarkFile, identity)?.TreeSize >= head), $"an anchored checkpoint covering {head} to be published");
        Script("backup.sh", "switch", Conninfo);

        // The whole archive replayed: nothing is missing, writes are served.
        var complete = await Restored(withWal: true);
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await complete.Get("/api/v1/participants/owner-c", "operator")).Status);
            Assert.Equal(ExitCodes.Ok, await Cli("ledger", "rollback-status", "--connection", complete.ConnectionString, "--keys", _first.KeyDirectory));
            Assert.Equal(HttpStatusCode.Created, (await complete.Post("/api/v1/participants", "operator", Participant("owner-d"))).Status);
        }
        finally { await complete.DisposeAsync(); }

        // The base backup alone: older than the anchored checkpoints.
        var old = await Restored(withWal: false);
        _cleanup.Add(old.DisposeAsync);
        Assert.Equal(HttpStatusCode.NotFound, (await old.Get("/api/v1/participants/owner-c", "operator")).Status);
        var refused = await old.Post("/api/v1/participants", "operator", Participant("owner-z"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
        Assert.Equal("ledger.rolled_back", refused.Json["code"]!.GetValue<string>());
        var missing = PublishedMark.Read(MarkFile, identity)!;
        Assert.Contains($"lacks checkpoint {missing.TreeSize} (note hash {missing.CheckpointHash})", refused.Json["detail"]!.GetValue<string>());
        Assert.Equal(ExitCodes.Failed, await Cli("ledger", "rollback-status", "--connection", old.ConnectionString, "--keys", _first.KeyDirectory));

        Assert.Equal(ExitCodes.Ok, await Cli("ledger", "acknowledge-loss", "--connection", old.ConnectionString, "--keys", _first.KeyDirectory));
        await Eventually.WaitUntil(async () => (await old.Post("/api/v1/participants", "operator", Participant("owner-z"))).Status == HttpStatusCode.Created,
            "writes to be served once the loss is acknowledged");
        Assert.Contains($"lost checkpoint {missing.TreeSize} {missing.CheckpointHash}", File.ReadAllText(Path.Combine(_first.KeyDirectory, PublishedMark.LossLogName)));

        // A new database with the same keys has an identity of its own: another log, with no entry yet, so not refused.
        var fresh = new ApiServer { Server = _cluster.ConnectionString, KeyDirectory = _first.KeyDirectory };
        _cleanup.Add(fresh.DisposeAsync);
        await fresh.InitializeAsync();
        Assert.Equal(HttpStatusCode.Created, (await fresh.Post("/api/v1/participants", "operator", Participant("owner-y"))).Status);
    }
}
