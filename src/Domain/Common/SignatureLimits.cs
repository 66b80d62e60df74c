namespace AssetLedger.Domain.Common;

/// <summary>How long a signed command stays fresh: its signed time may differ from the server's clock by at most this.</summary>
public static class SignatureLimits
{
    /// <summary>Five minutes either way: room for clock drift and a retry, far short of the 24 h an idempotency key is kept.</summary>
    public static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(5);
}
