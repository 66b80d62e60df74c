using AssetLedger.Application.Devices;
using AssetLedger.Application.Devices.Alarms;
using AssetLedger.Application.Ports;

namespace AssetLedger.Api.Hosting;

/// <summary>
/// Runs the silence rules every <c>AssetLedger:Devices:SilenceSweepInterval</c> (default one minute) on every instance;
/// the sweep is safe anywhere at once (<see cref="IotAlarms.Silence"/>). A failed sweep is tried again at the next tick.
/// </summary>
public sealed class IotSilenceWorker(IotAlarms alarms, IDeviceDirectory directory, DeviceStates states, IConfiguration configuration, ILogger<IotSilenceWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = configuration.GetValue("AssetLedger:Devices:SilenceSweepInterval", TimeSpan.FromMinutes(1));
        using var timer = new PeriodicTimer(interval);
        do
        {
            try
            {
                if ((await alarms.Silence(directory, states, stoppingToken)).Count is > 0 and var n) log.LogWarning("IoT silence: {Count} alarms raised", n);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogWarning(e, "IoT silence sweep failed; it runs again in {Interval}", interval);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
