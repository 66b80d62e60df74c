using System.Net;
using System.Text.Json.Nodes;
using AssetLedger.Api.Tests.Support;
using AssetLedger.Ledger.Canonical;
using Npgsql;
using static AssetLedger.Api.Tests.Support.AssetScenario;
using static AssetLedger.Api.Tests.Support.Evidence;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Someone with write access to the database changes the log behind the application's back (the append-only triggers
/// disabled). For each kind of change, both the integrity check (GET /api/v1/ledger/integrity) and the offline verifier
/// (on a bundle exported after the change) say that it fails and where. Each case tampers with an asset of its own and
/// looks only for its own problems, so the cases do not depend on their order.
/// </summary>
public sealed class tampering_is_detected(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    public Task InitializeAsync() => Cast(api);
    public Task DisposeAsync() => Task.CompletedTask;

    sealed record Logged(long Version, long Position, string EventId, string Hash);

    /// <summary>A receipt with four events (registered, two confirmations, an offer), anchored, whose bundle verifies.</summary>
    async Task<(string Id, List<Logged> Events)> AnchoredAsset()
    {
        var id = await Active(api);
        await Ok(api.Post($"/api/v1/assets/{id}/transfer-offer", "owner-a", new { toId = "buyer-b" }));
        var before = Verify(await Bundle(api, id));
        Assert.True(before.Ok, Describe(before));
        var history = (await api.Get($"/api/v1/assets/{id}/history", "reg-1")).Json.AsArray()
            .Select(e => new Logged(e!["version"]!.GetValue<long>(), e["position"]!.GetValue<long>(), e["eventId"]!.GetValue<string>(), e["hash"]!.GetValue<string>())).ToList();
        Assert.Equal(4, history.Count);
        return (id, history);
    }

    async Task Tamper(string table, string sql, params object[] args)
    {
        await using var conn = new NpgsqlConnection(api.ConnectionString);
        await conn.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using (var off = new NpgsqlCommand($"ALTER TABLE {table} DISABLE TRIGGER USER", conn, tx)) await off.ExecuteNonQueryAsync();
        await using (var cmd = new NpgsqlCommand(sql, conn, tx))
        {
            foreach (var a in args) cmd.Parameters.Add(new NpgsqlParameter { Value = a });
            Assert.True(await cmd.ExecuteNonQueryAsync() > 0, $"the tampering changed nothing: {sql}");
        }
        await using (var on = new NpgsqlCommand($"ALTER TABLE {table} ENABLE TRIGGER USER", conn, tx)) await on.ExecuteNonQueryAsync();
        await tx.CommitAsync();
    }

    async Task<JsonNode> Integrity(long from, long to)
    {
        var r = await api.Get($"/api/v1/ledger/integrity?from={from}&to={to}", "reg-1");
        Assert.True(r.Status == HttpStatusCode.OK, r.ToString());
        Assert.False(r.Json["ok"]!.GetValue<bool>(), "the integrity check found nothing: " + r.Body);
        return r.Json;
    }

    static void HasProblem(JsonNode report, string kind, long? position, string? mentions = null)
    {
        var problems = report["problems"]!.AsArray();
        Assert.True(problems.Any(p => p!["kind"]!.GetValue<string>() == kind && (position is null || p["position"]?.GetValue<long>() == position)
                && (mentions is null || p["message"]!.GetValue<string>().Contains(mentions))),
            $"no {kind} problem at {position?.ToString() ?? "any position"}{(mentions is null ? "" : $" mentioning {mentions}")}: {report.ToJsonString()}");
    }

    [Fact]
    public async Task a_changed_byte_of_event_data()
    {
        var (id, e) = await AnchoredAsset();
        await Tamper("events", "UPDATE events SET data = jsonb_set(data, '{details,quantity,value}', '\"1200.6\"') WHERE position = $1", e[0].Position);

        HasProblem(await Integrity(e[0].Position, e[^1].Position), "event-hash", e[0].Position, e[0].EventId);
        var report = Verify(await Bundle(api, id));
        Assert.Equal(["event hashes"], FailedChecks(report));
        var failure = Failures(report, "event hashes");
        Assert.Contains($"events.jsonl line 1: position {e[0].Position}, event {e[0].EventId} (asset-{id} v1)", failure);
        Assert.Contains($"the recorded hash is {e[0].Hash}", failure);
    }

    [Fact]
    public async Task changed_metadata()
    {
        var (id, e) = await AnchoredAsset();
        await Tamper("events", "UPDATE events SET metadata = jsonb_set(metadata, '{participant}', '\"owner-z\"') WHERE position = $1", e[3].Position);

        HasProblem(await Integrity(e[0].Position, e[^1].Position), "event-hash", e[3].Position, e[3].EventId);
        var report = Verify(await Bundle(api, id));
        // The event now names owner-z as the offerer: not the owner, and not the participant its context commits to.
        Assert.Equal(["event hashes", "rules", "signer context"], FailedChecks(report));
        Assert.Contains($"events.jsonl line 4: position {e[3].Position}, event {e[3].EventId} (asset-{id} v4)", Failures(report, "event hashes"));
    }

    [Fact]
    public async Task two_events_swapped_in_the_log()
    {
        var (id, e) = await AnchoredAsset();
        // Through negative positions: the primary key is checked row by row.
        await Tamper("events", "UPDATE events SET position = -position WHERE position IN ($1, $2)", e[1].Position, e[2].Position);
        await Tamper("events", "UPDATE events SET position = CASE position WHEN -$1 THEN $2 ELSE $1 END WHERE position IN (-$1, -$2)", e[1].Position, e[2].Position);

        var integrity = await Integrity(e[0].Position, e[^1].Position);
        HasProblem(integrity, "leaf", e[1].Position);
        HasProblem(integrity, "chain", e[1].Position);
        var report = Verify(await Bundle(api, id));
        // The later event, now at the earlier position, may also be recorded after the checkpoint that first held that position (times).
        Assert.Equal(["inclusion proofs", "stream chains"], FailedChecks(report).Where(c => c != "times"));
        Assert.Contains($"position {e[1].Position}, event {e[2].EventId} (asset-{id} v3)", Failures(report, "stream chains"));
        Assert.Contains($"position {e[2].Position}, event {e[1].EventId} (asset-{id} v2)", Failures(report, "inclusion proofs"));
    }

    [Fact]
    public async Task a_deleted_event()
    {
        var (id, e) = await AnchoredAsset();
        await Tamper("events", "DELETE FROM events WHERE position = $1", e[2].Position);

        var integrity = await Integrity(e[0].Position, e[^1].Position);
        HasProblem(integrity, "order", e[2].Position);
        HasProblem(integrity, "chain", e[3].Position, "version 3");
        var report = Verify(await Bundle(api, id));
        // Without the trading center's confirmation the asset is still pending, and the owner's offer is not allowed.
        Assert.Equal(["rules", "stream chains"], FailedChecks(report));
        Assert.Contains($"asset-{id} v3 is missing between events.jsonl line 2: position {e[1].Position}, event {e[1].EventId}", Failures(report, "stream chains"));
    }

    [Fact]
    public async Task a_forged_event_with_a_recomputed_hash_in_place_of_a_real_one()
    {
        var (id, e) = await AnchoredAsset();
        // The trading center's confirmation replaced by one from wh-2, correctly hashed and chained to v2.
        var forgedId = Guid.CreateVersion7();
        var data = $$"""{"asset":"{{id}}","by":"wh-2","slot":"tradingCenter","comment":"forged","at":"2026-01-01T00:00:00+00:00"}""";
        var metadata = $$"""{"participant":"wh-2","correlationId":"{{Guid.NewGuid()}}"}""";
        var hash = EventHasher.Compute(data, forgedId, metadata, e[1].Hash, 1, $"asset-{id}", "asset-confirmed", 3);
        await Tamper("events", "DELETE FROM events WHERE position = $1", e[2].Position);
        await Tamper("events", """
            INSERT INTO events (position, stream_id, version, event_id, type, schema_version, data, metadata, hash, previous_hash)
            VALUES ($1, $2, 3, $3, 'asset-confirmed', 1, $4::jsonb, $5::jsonb, $6, $7)
            """, e[2].Position, $"asset-{id}", forgedId, data, metadata, Convert.FromHexString(hash), Convert.FromHexString(e[1].Hash));

        var integrity = await Integrity(e[0].Position, e[^1].Position);
        HasProblem(integrity, "leaf", e[2].Position);
        HasProblem(integrity, "chain", e[3].Position);
        Assert.DoesNotContain(integrity["problems"]!.AsArray(), p => p!["kind"]!.GetValue<string>() == "event-hash");
        var report = Verify(await Bundle(api, id));
        // wh-2 fills no slot of this receipt, and its event lacks the signer context the events around it carry; the forged row
        // may also be recorded more than the allowed skew after its position's checkpoint (times).
        Assert.Equal(["inclusion proofs", "rules", "signer context", "stream chains"], FailedChecks(report).Where(c => c != "times"));
        Assert.Contains($"position {e[2].Position}, event {forgedId} (asset-{id} v3)", Failures(report, "inclusion proofs"));
        Assert.Contains($"position {e[3].Position}, event {e[3].EventId} (asset-{id} v4): previous hash {e[2].Hash} is not the hash {hash}", Failures(report, "stream chains"));
    }

    [Fact]
    public async Task an_altered_checkpoint()
    {
        var (id, e) = await AnchoredAsset();
        var size = (long)await api.Scalar($"SELECT min(tree_size) FROM checkpoints WHERE tree_size >= {e[^1].Position}");
        // A later checkpoint, so that the altered one is not the head the cutter continues from.
        for (var i = 0; i < 50 && await api.Scalar("SELECT coalesce(max(last_size), 0) FROM anchor_cursors") <= size; i++) await Bundle(api, await Active(api));
        var note = await api.Text($"SELECT note FROM checkpoints WHERE tree_size = {size}");
        var lines = note.Split('\n');
        var forgedRoot = new byte[32];
        Random.Shared.NextBytes(forgedRoot);
        lines[2] = Convert.ToBase64String(forgedRoot);
        await Tamper("checkpoints", "UPDATE checkpoints SET note = $2, root_hash = $3 WHERE tree_size = $1", size, string.Join('\n', lines), forgedRoot);

        HasProblem(await Integrity(e[0].Position, size), "checkpoint", null, $"checkpoint {size}");
        var report = Verify(await Bundle(api, id));
        Assert.Contains("checkpoint signatures", FailedChecks(report));
        Assert.Contains($"checkpoints/{size}.txt: checkpoint {size}: the signature by", Failures(report, "checkpoint signatures"));
        Assert.Contains($"checkpoints/{size}.txt is not a prefix", Failures(report, "consistency proofs"));
    }

    [Fact]
    public async Task a_forged_append_in_the_name_of_a_key_holder_is_caught_by_its_missing_signature()
    {
        // Hashed, chained and then logged and anchored like any event; but its actor had registered a signing key, and a
        // key holder's commands carry its signature (the rules and the signer context refuse it too).
        await api.Participants(("signer-t", "Owner"));
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        Assert.Equal(HttpStatusCode.OK, (await api.Post("/api/v1/participants/signer-t/signing-key", "signer-t", new { publicKey = key.ExportSubjectPublicKeyInfoPem() })).Status);
        var body = $$"""{"kind":"WarehouseReceipt","ownerId":"signer-t","warehouseId":"wh-1","receiptNumber":"T-{{Guid.NewGuid():N}}","commodity":"zinc","quantity":"8","unit":"t"}""";
        var created = await api.Post("/api/v1/assets", "signer-t", body, Signing.Headers(key, "/api/v1/assets", body, "forge-1", Signing.NewAssetId(), 0));
        Assert.True(created.Status == HttpStatusCode.Created, created.ToString());
        var id = created.Json["assetId"]!.GetValue<string>();
        Assert.True(Verify(await Bundle(api, id)).Ok);

        // Appended as the store would: the next position under the sequence's lock, the stream's head moved on.
        var data = $$"""{"asset":"{{id}}","from":"signer-t","to":"owner-z","at":"{{DateTimeOffset.UtcNow:O}}"}""";
        var metadata = $$"""{"participant":"signer-t","user":"signer-t.fixture","correlationId":"{{Guid.NewGuid()}}"}""";
        var forgedId = await Forgery.Append(api, $"asset-{id}", "asset-transferred", data, metadata);

        var report = Verify(await Bundle(api, id));
        // The forged row may also be recorded more than the allowed skew after its position's checkpoint (times).
        Assert.Contains("signed commands", FailedChecks(report).Where(c => c != "times"));
        Assert.Contains($"event {forgedId} (asset-{id} v2): unsigned, but signer-t had registered signing key", Failures(report, "signed commands"));
    }
}
