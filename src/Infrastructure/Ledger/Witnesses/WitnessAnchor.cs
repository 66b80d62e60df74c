using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AssetLedger.Application.Ports;
using AssetLedger.Ledger.Anchors;
using AssetLedger.Ledger.Witness;
using Npgsql;

namespace AssetLedger.Infrastructure.Ledger.Witnesses;

/// <summary>
/// A witness as one more anchor (so the anchor worker gives it a cursor, retries with backoff and a status of its own):
/// submits each checkpoint to <c>{url}/add-checkpoint</c> with a consistency proof from the last checkpoint the witness
/// cosigned, checks the answer with the witness's pinned key, stores the cosignature (<c>witness_cosignatures</c>) and
/// answers it as the receipt. A 409 with the witness's size (it knows another size than we thought, e.g. after a restart)
/// is answered at once with a proof from that size; any other refusal is a failure the cursor records.
/// </summary>
public sealed class WitnessAnchor(string name, string url, CosignerKey key, NpgsqlDataSource db, PostgresMerkleTree tree) : IAnchor
{
    static readonly HttpClient Http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(30) };
    long? _witnessSize;

    public string Name => name;

    public async Task<AnchorReceipt> Submit(CheckpointToAnchor checkpoint, CancellationToken ct)
    {
        if (await Stored(checkpoint.TreeSize, ct) is { } done) return done;
        var oldSize = _witnessSize ?? await LastCosigned(ct);
        for (var attempt = 0; ; attempt++)
        {
            if (oldSize > checkpoint.TreeSize)
                throw new InvalidOperationException($"Witness {name} holds a checkpoint of {oldSize}, larger than {checkpoint.TreeSize}: it cannot cosign this one.");
            var proof = oldSize == 0 ? [] : await tree.ConsistencyProof(oldSize, checkpoint.TreeSize, ct);
            var body = new AddCheckpointRequest(oldSize, proof, checkpoint.SignedNote).ToText();
            using var response = await Http.PostAsync($"{url}/add-checkpoint", new StringContent(body, Encoding.UTF8, "text/plain"), ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            if (response.StatusCode == HttpStatusCode.Conflict && response.Content.Headers.ContentType?.MediaType == "text/x.tlog.size" && attempt == 0
                && long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var theirs))
            {
                oldSize = theirs;
                continue;
            }
            if (response.StatusCode != HttpStatusCode.OK)
                throw new InvalidOperationException($"Witness {name} refused checkpoint {checkpoint.TreeSize} (old size {oldSize}): {(int)response.StatusCode} {text.Trim()}");
            var checkpointText = WitnessDecision.Text(checkpoint.SignedNote);
            foreach (var line in Cosignature.Lines(text))
                if (Cosignature.Verify(checkpointText, line, key) is { IsValid: true, Time: { } at })
                {
                    _witnessSize = checkpoint.TreeSize;
                    return await Store(checkpoint.TreeSize, line, at, ct);
                }
            throw new InvalidOperationException($"Witness {name} answered for checkpoint {checkpoint.TreeSize} without a cosignature by its key {key.VerifierKey}.");
        }
    }

    async Task<long> LastCosigned(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT coalesce(max(tree_size), 0) FROM witness_cosignatures WHERE witness = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = name });
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    async Task<AnchorReceipt?> Stored(long treeSize, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT cosignature, cosigned_at FROM witness_cosignatures WHERE witness = $1 AND tree_size = $2");
        cmd.Parameters.Add(new NpgsqlParameter { Value = name });
        cmd.Parameters.Add(new NpgsqlParameter { Value = treeSize });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? Receipt(treeSize, r.GetString(0), r.GetFieldValue<DateTimeOffset>(1)) : null;
    }

    async Task<AnchorReceipt> Store(long treeSize, string line, DateTimeOffset at, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            "INSERT INTO witness_cosignatures (witness, tree_size, witness_key, cosignature, cosigned_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (witness, tree_size) DO NOTHING");
        foreach (var v in new object[] { name, treeSize, key.VerifierKey, line, at }) cmd.Parameters.Add(new NpgsqlParameter { Value = v });
        await cmd.ExecuteNonQueryAsync(ct);
        return await Stored(treeSize, ct) ?? throw new InvalidOperationException($"The cosignature of {name} for {treeSize} was not stored.");
    }

    AnchorReceipt Receipt(long treeSize, string line, DateTimeOffset at) =>
        new(name, treeSize, key.Name, at, new JsonObject { ["kind"] = "witness", ["witnessKey"] = key.VerifierKey, ["cosignature"] = line }.ToJsonString());
}
