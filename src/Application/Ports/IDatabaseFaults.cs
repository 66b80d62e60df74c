namespace AssetLedger.Application.Ports;

/// <summary>
/// Tells a fault of the database (unreachable, shutting down or starting up, a session ended by a bound, a lock not
/// granted in time) from a bug. After such a fault a retry may succeed, and whether a write committed is unknown.
/// </summary>
public interface IDatabaseFaults
{
    bool IsUnavailable(Exception error);
}
