using Npgsql;

namespace AssetLedger.Infrastructure.Ledger.Anchors;

/// <summary>A CheckpointAnchor contract an EVM anchor deployed (table <c>evm_contracts</c>).</summary>
public sealed record EvmDeployment(string Anchor, long ChainId, string ContractAddress, string Deployer, string DeployTransaction, long DeployBlock, DateTimeOffset DeployedAt);

/// <summary>Where each EVM anchor's contract lives, recorded durably so that a restart reuses it.</summary>
public sealed class EvmDeployments(NpgsqlDataSource db)
{
    public async Task<EvmDeployment?> Find(string anchor, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT anchor, chain_id, contract_address, deployer, deploy_tx, deploy_block, deployed_at FROM evm_contracts WHERE anchor = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = anchor });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct)
            ? new EvmDeployment(r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt64(5), r.GetFieldValue<DateTimeOffset>(6))
            : null;
    }

    /// <summary>Records a deployment unless one is recorded already; returns the one that holds (the first).</summary>
    public async Task<EvmDeployment> Record(EvmDeployment d, CancellationToken ct)
    {
        await using (var cmd = db.CreateCommand(
            "INSERT INTO evm_contracts (anchor, chain_id, contract_address, deployer, deploy_tx, deploy_block, deployed_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (anchor) DO NOTHING"))
        {
            foreach (var v in new object[] { d.Anchor, d.ChainId, d.ContractAddress, d.Deployer, d.DeployTransaction, d.DeployBlock, d.DeployedAt })
                cmd.Parameters.Add(new NpgsqlParameter { Value = v });
            await cmd.ExecuteNonQueryAsync(ct);
        }
        return (await Find(d.Anchor, ct))!;
    }
}
