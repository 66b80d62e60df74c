using AssetLedger.Application.Ports;
using AssetLedger.Domain.Assets;
using Microsoft.Extensions.DependencyInjection;

namespace AssetLedger.Application;

public static class DependencyInjection
{
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        services.AddMediator(o => o.ServiceLifetime = ServiceLifetime.Singleton);
        services.AddSingleton(ConfirmationPolicy.Default);
        services.AddSingleton<IClock, SystemClock>();
        services.AddSingleton<Chains.ChainRegistryReader>();
        services.AddSingleton<Users.UserSessions>();
        services.AddSingleton<Devices.DeviceStates>();
        services.AddSingleton<Devices.DeviceReader>();
        services.AddSingleton<Ledger.Devices.VerificationKeys>();
        services.AddSingleton<Devices.ReadingIngestion>();
        services.AddSingleton<Webhooks.WebhookManagement>();
        services.AddSingleton<Devices.Alarms.AlarmRuleBooks>();
        services.AddSingleton<Devices.Alarms.IotAlarms>();
        return services;
    }
}
