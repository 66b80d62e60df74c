using AssetLedger.Application.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AssetLedger.Infrastructure.Devices;

public static class DeviceServiceCollectionExtensions
{
    /// <summary>What the device handlers need beyond the event store: the shared count of refused readings, and the list of devices.</summary>
    public static IServiceCollection AddDevices(this IServiceCollection services) =>
        services.AddSingleton<IReadingRefusals, PostgresReadingRefusals>().AddSingleton<IDeviceDirectory, PostgresDeviceDirectory>();

    /// <summary>Readings from the MQTT broker named under AssetLedger:Mqtt (docs/devices.md), when a Url is set there.</summary>
    public static IServiceCollection AddMqttReadings(this IServiceCollection services, IConfiguration section)
    {
        var options = section.Get<MqttOptions>() ?? new MqttOptions();
        if (string.IsNullOrEmpty(options.Url)) return services;
        services.AddSingleton(options);
        services.AddSingleton<MqttReadingSubscriber>();
        return services.AddHostedService(sp => sp.GetRequiredService<MqttReadingSubscriber>());
    }
}
