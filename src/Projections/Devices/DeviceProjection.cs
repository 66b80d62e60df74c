using AssetLedger.Domain.Devices;
using Npgsql;

namespace AssetLedger.Projections.Devices;

/// <summary>
/// Feeds devices: each lifecycle event changes its device's row in log order. Readings are skipped (they are most of a
/// device's stream and change nothing a list shows), and so is any event type this build does not list.
/// </summary>
sealed class DeviceProjection : IProjection
{
    public string Name => "devices";
    public IReadOnlyList<string> Tables { get; } = ["devices"];

    public async Task Apply(NpgsqlConnection conn, IReadOnlyList<LogEvent> events, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(conn);
        foreach (var e in events)
            if (Statement(e) is { } s) batch.BatchCommands.Add(s);
        if (batch.BatchCommands.Count > 0) await batch.ExecuteNonQueryAsync(ct);
    }

    static NpgsqlBatchCommand? Statement(LogEvent e) => e.Event switch
    {
        DeviceRegistered r => Command("""
            INSERT INTO devices VALUES ($1, $2, $3, $4, $5, 'Registered', $6, NULL, '{}', $7, $8, $8) ON CONFLICT (device_id) DO NOTHING
            """, r.Device, r.By.Value, r.Kind.ToString(), r.Site, r.Make, r.KeyId, r.At, e.Position),
        DeviceBound b => Update("watched = array_append(array_remove(watched, $3), $3)", b.Device, e.Position, b.Asset.Value),
        DeviceUnbound u => Update("watched = array_remove(watched, $3)", u.Device, e.Position, u.Asset.Value),
        DeviceConfirmed c => Update("confirmed_by = $3", c.Device, e.Position, c.By.Value),
        // A new key is nobody's until it is confirmed again (DeviceState.Evolve).
        DeviceKeyRotated k => Update("key_id = $3, confirmed_by = NULL", k.Device, e.Position, k.KeyId),
        DeviceSuspended s => Update("status = $3", s.Device, e.Position, nameof(DeviceStatus.Suspended)),
        DeviceReinstated r => Update("status = $3", r.Device, e.Position, nameof(DeviceStatus.Registered)),
        DeviceDecommissioned d => Update("status = $3", d.Device, e.Position, nameof(DeviceStatus.Decommissioned)),
        _ => null,
    };

    static NpgsqlBatchCommand Update(string set, string device, long position, object value) =>
        Command($"UPDATE devices SET {set}, last_position = $2 WHERE device_id = $1", device, position, value);

    static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var c = new NpgsqlBatchCommand(sql);
        foreach (var v in values) c.Parameters.Add(new NpgsqlParameter { Value = v });
        return c;
    }
}
