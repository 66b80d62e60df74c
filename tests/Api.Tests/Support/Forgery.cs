using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AssetLedger.Infrastructure.Ledger;
using AssetLedger.Ledger.Canonical;
using AssetLedger.Ledger.Evidence;
using AssetLedger.Ledger.Notes;
using Npgsql;

namespace AssetLedger.Api.Tests.Support;

/// <summary>
/// The operator as attacker: events appended straight into the database as the store would (next position under the
/// sequence's lock, hashed and chained, so the ledger logs and anchors them like any other), and bundles edited and
/// re-signed with the operator's own ledger key.
/// </summary>
public static class Forgery
{
    /// <summary>Appends one event to <paramref name="stream"/> after its current head; returns its id.</summary>
    public static async Task<Guid> Append(ApiServer api, string stream, string type, string data, string metadata)
    {
        var head = await api.Scalar($"SELECT coalesce(max(version), 0) FROM events WHERE stream_id = '{stream}'");
        var previous = head == 0 ? null : await api.Text($"SELECT encode(hash, 'hex') FROM events WHERE stream_id = '{stream}' AND version = {head}");
        var id = Guid.CreateVersion7();
        var hash = EventHasher.Compute(data, id, metadata, previous, 1, stream, type, head + 1);
        await using var conn = new NpgsqlConnection(api.ConnectionString);
        await conn.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using var cmd = new NpgsqlCommand("""
            WITH s AS (UPDATE event_sequence SET last_position = last_position + 1 WHERE id = 1 RETURNING last_position)
            INSERT INTO events (position, stream_id, version, event_id, type, schema_version, data, metadata, hash, previous_hash)
            SELECT last_position, $1, $2, $3, $4, 1, $5::jsonb, $6::jsonb, $7, $8 FROM s
            """, conn, tx);
        foreach (var v in new object?[] { stream, head + 1, id, type, data, metadata, Convert.FromHexString(hash), previous is null ? DBNull.Value : Convert.FromHexString(previous) })
            cmd.Parameters.Add(new NpgsqlParameter { Value = v ?? DBNull.Value });
        await cmd.ExecuteNonQueryAsync();
        await tx.CommitAsync();
        return id;
    }

    /// <summary>A participant's stream head: what the command path commits an event to.</summary>
    public static async Task<(long Version, string Hash)> Head(ApiServer api, string participant)
    {
        var version = await api.Scalar($"SELECT max(version) FROM events WHERE stream_id = 'participant-{participant}'");
        return (version, await api.Text($"SELECT encode(hash, 'hex') FROM events WHERE stream_id = 'participant-{participant}' AND version = {version}"));
    }

    /// <summary>The bundle with <paramref name="edit"/> applied, its manifest's file list brought up to date and re-signed with the ledger key.</summary>
    public static Dictionary<string, byte[]> Resigned(ApiServer api, Dictionary<string, byte[]> files, Action<Dictionary<string, byte[]>> edit)
    {
        edit(files);
        var manifest = JsonNode.Parse(files[BundleFormat.Manifest])!.AsObject();
        foreach (var f in manifest["files"]!.AsArray())
        {
            var bytes = files[f!["path"]!.GetValue<string>()];
            f["sha256"] = Convert.ToHexStringLower(SHA256.HashData(bytes));
            f["bytes"] = bytes.Length;
        }
        var text = Encoding.UTF8.GetBytes(manifest.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        files[BundleFormat.Manifest] = text;
        var origin = manifest["origin"]!.GetValue<string>();
        var signer = KeyFile.LoadOrCreate(api.KeyDirectory, "ledger.key", origin);
        files[BundleFormat.ManifestSignature] = Encoding.UTF8.GetBytes(SignedNote.Sign(BundleFormat.SignatureText(origin, Convert.ToHexStringLower(SHA256.HashData(text))), signer));
        return files;
    }

    /// <summary>The lines of a JSON-lines file without those that contain <paramref name="marker"/>.</summary>
    public static byte[] Without(byte[] jsonl, Func<string, bool> drop) =>
        Encoding.UTF8.GetBytes(string.Concat(Encoding.UTF8.GetString(jsonl).Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !drop(l)).Select(l => l + "\n")));
}
