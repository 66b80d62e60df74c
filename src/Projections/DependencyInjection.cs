using AssetLedger.Projections.Assets;
using AssetLedger.Projections.Participants;
using AssetLedger.Projections.Registry;
using AssetLedger.Projections.Trace;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AssetLedger.Projections;

public static class DependencyInjection
{
    /// <summary>
    /// Registers the runner and the queries; with <paramref name="runInBackground"/>, also the worker that follows the log.
    /// Needs an <see cref="Npgsql.NpgsqlDataSource"/> and an <see cref="Application.Ports.IEventStore"/> registered.
    /// </summary>
    public static IServiceCollection AddProjections(this IServiceCollection services, bool runInBackground = true)
    {
        services.AddSingleton<ProjectionRunner>();
        services.AddSingleton<AssetQueries>();
        services.AddSingleton<Application.Ports.IPendingAssets, PendingAssets>();
        services.AddSingleton<ParticipantQueries>();
        services.TryAddSingleton(_ => new TraceCache());
        services.AddSingleton<TraceQueries>();
        services.AddSingleton<HoldingsQueries>();
        services.AddSingleton<RegistryQueries>();
        services.AddSingleton<Registrations.RegistrationQueries>();
        services.AddSingleton<Devices.DeviceQueries>();
        if (runInBackground) services.AddHostedService<ProjectionWorker>();
        return services;
    }
}
