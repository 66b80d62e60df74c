using AssetLedger.Application.Ports;
using Microsoft.Extensions.DependencyInjection;

namespace AssetLedger.Infrastructure.Devices;

public static class DeviceServiceCollectionExtensions
{
    /// <summary>What the device handlers need beyond the event store: the shared count of refused readings, and the list of devices.</summary>
    public static IServiceCollection AddDevices(this IServiceCollection services) =>
        services.AddSingleton<IReadingRefusals, PostgresReadingRefusals>().AddSingleton<IDeviceDirectory, PostgresDeviceDirectory>();
}
