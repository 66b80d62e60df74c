namespace AssetLedger.Application.Ports;

/// <summary>
/// Readings refused, counted per device and reason (bad signature, replay, unknown key…), shared by every instance. A
/// refusal is not an event: a forger could otherwise fill the log; the count is what an operator and an alarm watch.
/// </summary>
public interface IReadingRefusals
{
    Task Count(string device, IReadOnlyDictionary<string, int> byReason, CancellationToken ct);

    Task<IReadOnlyDictionary<string, long>> Of(string device, CancellationToken ct);
}
