using AssetLedger.Application.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AssetLedger.Infrastructure.Webhooks;

public static class WebhookServiceCollectionExtensions
{
    /// <summary>The subscriptions' store, the inbound notices' credentials, the deliverer, and (when <paramref name="deliver"/>, unless Deliver says otherwise) the deliverer running in this process.</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration section, bool deliver)
    {
        var options = section.Get<WebhookOptions>() ?? new WebhookOptions();
        services.AddSingleton(options);
        services.AddSingleton<IWebhookSubscriptions>(sp => new PostgresWebhookSubscriptions(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton<INoticeCredentials>(sp => new PostgresNoticeCredentials(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton(sp => new WebhookLeases(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton(sp => new WebhookWakeups(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetService<EventStore.PostgresEventStore>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<WebhookWakeups>>()));
        services.AddSingleton(sp => new RecentEvents(sp.GetRequiredService<IEventStore>()));
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<IWebhookSigningKey>(sp => sp.GetRequiredService<WebhookSender>());
        services.AddSingleton<WebhookDeliverer>();
        if (options.Deliver ?? deliver) services.AddHostedService(sp => sp.GetRequiredService<WebhookDeliverer>());
        return services;
    }
}
