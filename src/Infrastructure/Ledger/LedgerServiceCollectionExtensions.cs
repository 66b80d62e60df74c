using AssetLedger.Application.Ports;
using AssetLedger.Infrastructure.Ledger.Anchors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AssetLedger.Infrastructure.Ledger;

public static class LedgerServiceCollectionExtensions
{
    /// <summary>
    /// Registers the ledger (tree, its <see cref="ILedgerStatus"/>, builder, cutter, local anchor, anchor worker, <see cref="LedgerService"/>, the evidence exporter,
    /// <see cref="LedgerWorker"/>). Needs an <see cref="NpgsqlDataSource"/>, an <see cref="IEventStore"/> and an
    /// <see cref="IClock"/>. The worker is not started: <c>services.AddHostedService(sp => sp.GetRequiredService&lt;LedgerWorker&gt;())</c>.
    /// More anchors: register further <see cref="IAnchor"/> singletons, or an <see cref="IAnchorTargetSource"/> (the managed chain
    /// records), whose active targets the worker starts and stops as they change.
    /// </summary>
    public static IServiceCollection AddLedger(this IServiceCollection services, Action<LedgerOptions>? configure = null)
    {
        var options = new LedgerOptions();
        configure?.Invoke(options);
        services.AddSingleton(options);
        services.AddSingleton(_ => LedgerKeys.LoadOrCreate(options));
        services.AddSingleton(sp => new PostgresMerkleTree(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton<ILedgerStatus, PostgresLedgerStatus>();
        services.AddSingleton(sp => new MerkleTreeBuilder(sp.GetRequiredService<IEventStore>(), sp.GetRequiredService<PostgresMerkleTree>(), options.BuilderBatchSize));
        services.AddSingleton(sp => new CheckpointCutter(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<PostgresMerkleTree>(),
            sp.GetRequiredService<LedgerKeys>().Ledger, sp.GetRequiredService<IClock>(), options));
        services.AddSingleton<IAnchor>(sp => new LocalAnchor(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<LedgerKeys>().Anchor, sp.GetRequiredService<IClock>()));
        services.AddSingleton(sp => new AnchorTargets(sp.GetServices<IAnchor>(), sp.GetService<IAnchorTargetSource>()));
        services.AddSingleton(sp => new AnchorTargetFactory(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<IClock>(), sp.GetService<ILoggerFactory>()));
        services.AddSingleton(sp => new AnchorWorker(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<AnchorTargets>(), options,
            sp.GetRequiredService<AnchorTargetFactory>(), sp.GetService<ILogger<AnchorWorker>>()));
        services.AddSingleton(sp => new LedgerService(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<IEventStore>(),
            sp.GetRequiredService<PostgresMerkleTree>(), sp.GetRequiredService<LedgerKeys>()));
        services.AddSingleton(sp => new Evidence.EvidenceExporter(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<IEventStore>(),
            sp.GetRequiredService<PostgresMerkleTree>(), sp.GetRequiredService<LedgerKeys>(), sp.GetRequiredService<AnchorTargets>(), sp.GetRequiredService<IClock>()));
        services.AddSingleton(sp => new LedgerWorker(sp.GetRequiredService<MerkleTreeBuilder>(), sp.GetRequiredService<CheckpointCutter>(),
            sp.GetRequiredService<AnchorWorker>(), options, sp.GetService<ILogger<LedgerWorker>>()));
        return services;
    }

    /// <summary>
    /// Adds an EVM chain as one more anchor target (beside <c>local</c>), with its own cursor, retries and status.
    /// Checks the configuration now (endpoint, chain id, that the private key can be read), so a mistake stops the
    /// start-up instead of failing quietly later; a chain that is merely down is retried in the background.
    /// </summary>
    public static IServiceCollection AddEvmAnchor(this IServiceCollection services, EvmAnchorOptions evm)
    {
        evm.Validate();
        services.AddSingleton(sp => new EvmAnchor(evm, sp.GetRequiredService<NpgsqlDataSource>(), sp.GetService<ILogger<EvmAnchor>>()));
        services.AddSingleton<IAnchor>(sp => sp.GetRequiredService<EvmAnchor>());
        return services;
    }
}
