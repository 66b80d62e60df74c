using Microsoft.Extensions.Hosting;

namespace AssetLedger.Projections;

/// <summary>Hosts <see cref="ProjectionRunner.RunAsync"/> in an API process; any number of instances may run it at once.</summary>
public sealed class ProjectionWorker(ProjectionRunner runner) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => runner.RunAsync(stoppingToken);
}
