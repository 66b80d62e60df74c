namespace AssetLedger.Application.Ports;

/// <summary>Every registered device's id, in pages (for sweeps that must visit each device, such as silence).</summary>
public interface IDeviceDirectory
{
    /// <summary>Device ids after <paramref name="after"/> (exclusive; "" for the first page), in order, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<string>> Page(string after, int limit, CancellationToken ct);
}
