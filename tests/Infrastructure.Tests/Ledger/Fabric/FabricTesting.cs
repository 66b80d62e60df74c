using System.Text.Json;
using AssetLedger.Application.Ports;
using AssetLedger.Infrastructure.Ledger;
using AssetLedger.Infrastructure.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AssetLedger.Infrastructure.Tests.Ledger.Fabric;

/// <summary>The Fabric tests that run on the shared network, one at a time: one of them stops its peer and its orderer.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FabricNetworkCollection
{
    public const string Name = "fabric network";
}

/// <summary>What the Fabric anchor tests share: ledger options, cutting a checkpoint, reading the stored receipts.</summary>
static class FabricTesting
{
    public static LedgerOptions LedgerOptions() => new()
    {
        CheckpointEveryLeaves = 1, CheckpointInterval = TimeSpan.FromHours(1), AnchorRetryAttempts = 1, AnchorRetryDelay = TimeSpan.FromMilliseconds(10),
    };

    public static async Task Cut(LedgerParts l, int events)
    {
        await l.AppendEvents(events);
        await l.Builder.CatchUp(default);
        Assert.NotNull(await l.Cutter.CutNow(default));
    }

    /// <summary>Registered as the service registers it: AddFabricAnchor over the AssetLedger:Chains:Fabric section.</summary>
    public static IAnchor FromConfiguration(PostgresDatabase db, FabricAnchorOptions o)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AssetLedger:Chains:Fabric:Endpoint"] = o.Endpoint,
            ["AssetLedger:Chains:Fabric:TlsRootCertFile"] = o.TlsRootCertFile,
            ["AssetLedger:Chains:Fabric:MspId"] = o.MspId,
            ["AssetLedger:Chains:Fabric:CertificateFile"] = Path.GetDirectoryName(o.CertificateFile),   // an MSP's signcerts/ folder
            ["AssetLedger:Chains:Fabric:PrivateKeyFile"] = Path.GetDirectoryName(o.PrivateKeyFile),     // and its keystore/
            ["AssetLedger:Chains:Fabric:Channel"] = o.Channel,
            ["AssetLedger:Chains:Fabric:Chaincode"] = o.Chaincode,
            ["AssetLedger:Chains:Fabric:CommitTimeout"] = "00:00:20",
            ["AssetLedger:Chains:Fabric:EndorseTimeout"] = "00:00:10",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton(db.DataSource);
        services.AddSingleton<IClock>(new TestClock(LedgerParts.T0));
        services.AddFabricAnchor(configuration.GetSection("AssetLedger:Chains:Fabric"));
        return services.BuildServiceProvider().GetServices<IAnchor>().Single();
    }

    public static async Task Exec(NpgsqlDataSource db, string sql)
    {
        await using var cmd = db.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }

    public static async Task<List<(long TreeSize, string TransactionId, JsonElement Proof)>> Receipts(NpgsqlDataSource db, string anchor)
    {
        await using var cmd = db.CreateCommand("SELECT tree_size, transaction_ref, proof::text FROM anchor_receipts WHERE anchor = $1 ORDER BY tree_size");
        cmd.Parameters.Add(new NpgsqlParameter { Value = anchor });
        var list = new List<(long, string, JsonElement)>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) list.Add((r.GetInt64(0), r.GetString(1), JsonDocument.Parse(r.GetString(2)).RootElement.Clone()));
        return list;
    }
}
