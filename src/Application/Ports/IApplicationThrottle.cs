namespace AssetLedger.Application.Ports;

/// <summary>
/// Anonymous applications counted per client address, in the database so that every API instance shares the count
/// (limit in <c>Domain.Participants.ApplicationLimits</c>).
/// </summary>
public interface IApplicationThrottle
{
    /// <summary>Counts an application from the address; null when it may go on, else when the address may apply again.</summary>
    Task<DateTimeOffset?> Take(string address, CancellationToken ct);
}
