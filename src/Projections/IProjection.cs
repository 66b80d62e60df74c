using AssetLedger.Application.Ports;
using Npgsql;

namespace AssetLedger.Projections;

/// <summary>
/// One read model: tables it owns and how a batch of log events changes them. The runner calls
/// <see cref="Apply"/> inside the transaction that also moves this projection's checkpoint, holding the
/// checkpoint rows' locks, so no other process writes these tables meanwhile.
/// </summary>
interface IProjection
{
    /// <summary>The checkpoint's name in projection_checkpoints.</summary>
    string Name { get; }

    /// <summary>Tables a rebuild truncates.</summary>
    IReadOnlyList<string> Tables { get; }

    /// <param name="events">Events after this projection's checkpoint, in log order.</param>
    Task Apply(NpgsqlConnection conn, IReadOnlyList<LogEvent> events, CancellationToken ct);
}

/// <summary>A stored event with its domain event decoded once for every projection (null for a type this build does not know).</summary>
sealed record LogEvent(StoredEvent Stored, object? Event, string? Actor)
{
    public long Position => Stored.Position;
}
