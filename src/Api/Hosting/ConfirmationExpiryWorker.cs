using AssetLedger.Application.Assets;
using AssetLedger.Domain.Assets;

namespace AssetLedger.Api.Hosting;

/// <summary>
/// Runs the confirmation expiry sweep every <c>AssetLedger:Assets:ExpirySweepInterval</c> (default one minute) on every
/// instance; the sweep itself is safe to run anywhere at once (<see cref="ConfirmationExpiry"/>). A failed sweep (the
/// database away) is logged and tried again at the next interval.
/// </summary>
public sealed class ConfirmationExpiryWorker(ConfirmationExpiry expiry, IConfiguration configuration, ILogger<ConfirmationExpiryWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = configuration.GetValue("AssetLedger:Assets:ExpirySweepInterval", TimeSpan.FromMinutes(1));
        using var timer = new PeriodicTimer(interval);
        do
        {
            try
            {
                if (await expiry.Sweep(stoppingToken) is > 0 and var n) log.LogInformation("Confirmation expiry: {Count} pending assets expired", n);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogWarning(e, "Confirmation expiry sweep failed; it runs again in {Interval}", interval);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>The policy's windows from <c>AssetLedger:Assets:ConfirmationWindow:{Kind}</c> (a TimeSpan such as <c>7.00:00:00</c>).</summary>
    public static ConfirmationPolicy Policy(IConfiguration configuration)
    {
        var section = configuration.GetSection("AssetLedger:Assets:ConfirmationWindow");
        var windows = Enum.GetValues<AssetKind>()
            .Select(k => (Kind: k, Window: section.GetValue<TimeSpan?>(k.ToString())))
            .Where(w => w.Window is { } t && t > TimeSpan.Zero)
            .ToDictionary(w => w.Kind, w => w.Window!.Value);
        return new ConfirmationPolicy(windows);
    }
}
