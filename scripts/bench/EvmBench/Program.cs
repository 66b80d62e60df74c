// EVM anchoring benchmark: cuts N signed checkpoints first (not timed), then anchors them to a CheckpointAnchor
// contract through the anchor worker exactly as the API does (in order, each transaction waited for), and prints
// checkpoints anchored per second and the p50/p99 time per checkpoint. Run by scripts/bench-evm.sh against Anvil.
// Usage: EvmBench <connection string> <rpc url> <chain id> <private key file> [checkpoints=200]
using System.Diagnostics;
using System.Globalization;
using AssetLedger.Application.Ports;
using AssetLedger.Infrastructure;
using AssetLedger.Infrastructure.EventStore;
using AssetLedger.Infrastructure.Ledger;
using AssetLedger.Infrastructure.Ledger.Anchors;
using AssetLedger.Ledger.Notes;
using Npgsql;

var (cs, rpcUrl, chainId, keyFile) = (args[0], args[1], long.Parse(args[2], CultureInfo.InvariantCulture), args[3]);
var count = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 200;

await DatabaseMigrator.Migrate(cs, []); // the event store and the ledger: no read models
await using var db = new NpgsqlDataSourceBuilder(cs).Build();
var options = new LedgerOptions { AnchorRetryAttempts = 1, AnchorSubmitTimeout = TimeSpan.FromMinutes(2) };
var clock = new SystemClock();
await using var store = new PostgresEventStore(db);
var tree = new PostgresMerkleTree(db);
var builder = new MerkleTreeBuilder(store, tree, options.BuilderBatchSize);
using var ledgerKey = NoteSigner.Generate("bench.example/ledger");
var cutter = new CheckpointCutter(db, tree, ledgerKey, clock, options);

for (var i = 0; i < count; i++)
{
    var stream = $"bench-{Guid.NewGuid():N}";
    await store.Append(new AppendRequest(stream, 0, [new EventToAppend(Guid.CreateVersion7(), "bench-happened", 1, """{"i":1}""", """{"participant":"bench"}""")]), default);
    await builder.CatchUp(default);
    await cutter.CutNow(default);
}

var evm = new EvmAnchor(new EvmAnchorOptions { RpcUrl = rpcUrl, ChainId = chainId, PrivateKeyFile = keyFile, ReceiptPollInterval = TimeSpan.FromMilliseconds(20) }, db);
var contract = await evm.EnsureContract(default); // the deployment is not timed
var worker = new AnchorWorker(db, [evm], options);
var latencies = new List<double>(count);
var total = Stopwatch.StartNew();
for (var i = 0; i < count; i++)
{
    var one = Stopwatch.StartNew();
    if (!await worker.AnchorNext(evm, default)) throw new InvalidOperationException($"Checkpoint {i + 1} was not anchored: {await LastError()}");
    latencies.Add(one.Elapsed.TotalMilliseconds);
}
var seconds = total.Elapsed.TotalSeconds;

async Task<string?> LastError()
{
    await using var cmd = db.CreateCommand("SELECT last_error FROM anchor_cursors WHERE anchor = $1");
    cmd.Parameters.Add(new NpgsqlParameter { Value = evm.Name });
    return await cmd.ExecuteScalarAsync() as string;
}
latencies.Sort();
double P(double q) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(q * latencies.Count) - 1)];
var onChain = await new EvmAnchorReader(rpcUrl).Count(contract, default);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT checkpoints={count} seconds={seconds:F2} checkpoints_per_s={count / seconds:F1} p50_ms={P(0.50):F1} p99_ms={P(0.99):F1} on_chain={onChain}"));
