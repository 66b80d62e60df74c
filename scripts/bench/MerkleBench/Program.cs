// Merkle log benchmark on the PostgreSQL-stored tree: appends N leaves in batches (one transaction each,
// as the builder does), then measures inclusion- and consistency-proof generation at that size.
// Prints leaves/s and proof latency percentiles; checks the stored root against an in-memory tree.
// Usage: MerkleBench <connection string> [leaves=1000000] [batch=16384] [proofs=5000]
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using AssetLedger.Infrastructure;
using AssetLedger.Infrastructure.Ledger;
using AssetLedger.Ledger.Merkle;
using Npgsql;

var cs = args[0];
var leaves = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
var batch = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 16_384;
var proofs = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 5_000;

await DatabaseMigrator.Migrate(cs, []); // the event store and the ledger: no read models
await using var db = new NpgsqlDataSourceBuilder(cs).Build();
var tree = new PostgresMerkleTree(db);
var start = await tree.Size(default);

// Leaf data stands in for event hashes: 32 bytes each, made before the clock starts, in one buffer so the
// heap holds few objects when proof latency is measured.
var data = new byte[(long)leaves * 32];
for (var i = 0; i < leaves; i++) SHA256.HashData(BitConverter.GetBytes(start + i), data.AsSpan(i * 32, 32));
byte[] Leaf(long i) => data.AsSpan((int)(i * 32), 32).ToArray();

var clock = Stopwatch.StartNew();
for (var done = 0; done < leaves;)
{
    var take = Math.Min(batch, leaves - done);
    var offset = done;
    await tree.Append((_, _) => Task.FromResult<IReadOnlyList<byte[]>>(Enumerable.Range(offset, take).Select(i => Leaf(i)).ToArray()), default);
    done += take;
}
var appendSeconds = clock.Elapsed.TotalSeconds;
var size = await tree.Size(default);

var rootMatches = "skipped";
if (start == 0)
{
    var expected = MemoryRoot(); // not async: the in-memory tree must not outlive it in the state machine
    var storedRoot = await tree.Root(size, default);
    rootMatches = Convert.ToHexString(expected) == Convert.ToHexString(storedRoot) ? "yes" : "NO";
}
GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);

var random = new Random(42);
var root = await tree.Root(size, default);
for (var i = 0; i < 200; i++) await tree.InclusionProof(random.NextInt64(size), size, default); // warm-up
var inclusion = new double[proofs];
var verified = 0;
for (var i = 0; i < proofs; i++)
{
    var index = random.NextInt64(size);
    var t0 = Stopwatch.GetTimestamp();
    var path = await tree.InclusionProof(index, size, default);
    inclusion[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
    if (start == 0 && MerkleVerifier.VerifyInclusion(index, size, MerkleHash.Leaf(Leaf(index)), path, root).IsValid) verified++;
}
var consistency = new double[Math.Max(1, proofs / 5)];
for (var i = 0; i < consistency.Length; i++)
{
    var first = random.NextInt64(1, size);
    var t0 = Stopwatch.GetTimestamp();
    await tree.ConsistencyProof(first, size, default);
    consistency[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
}

byte[] MemoryRoot()
{
    var memory = new MemoryMerkleTree();
    for (var i = 0; i < leaves; i++) memory.Append(data.AsSpan(i * 32, 32));
    return memory.Root(memory.Size);
}

static double P(double[] xs, double q)
{
    var sorted = xs.Order().ToArray();
    return sorted[(int)Math.Min(sorted.Length - 1, Math.Floor(q * sorted.Length))];
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"leaves={leaves} batch={batch} append_seconds={appendSeconds:F2} leaves/s={leaves / appendSeconds:F0} tree_size={size} root_matches_memory={rootMatches}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"inclusion_proofs={proofs} p50_ms={P(inclusion, 0.50):F3} p99_ms={P(inclusion, 0.99):F3} max_ms={inclusion.Max():F3} verified={(start == 0 ? verified.ToString(CultureInfo.InvariantCulture) : "skipped")}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"consistency_proofs={consistency.Length} p50_ms={P(consistency, 0.50):F3} p99_ms={P(consistency, 0.99):F3}"));
