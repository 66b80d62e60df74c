using System.Text.Json.Nodes;
using AssetLedger.Application.Ports;
using AssetLedger.Infrastructure.Evidence;
using AssetLedger.Infrastructure.Ledger;
using AssetLedger.Infrastructure.Ledger.Anchors;
using AssetLedger.Infrastructure.Tests.Ledger;
using AssetLedger.Ledger.Evidence;
using Npgsql;

namespace AssetLedger.Infrastructure.Tests.Support;

/// <summary>A real ledger whose checkpoints are anchored locally and on an Anvil node, and its evidence bundles.</summary>
public sealed class EvmLedger : IAsyncDisposable
{
    public const string AnchorName = "evm:31337";

    readonly EvidenceExporter _exporter;

    EvmLedger(LedgerParts ledger, EvidenceExporter exporter, string contract, long treeSize, int checkpoints) =>
        (Ledger, _exporter, ContractAddress, TreeSize, Checkpoints) = (ledger, exporter, contract, treeSize, checkpoints);

    public LedgerParts Ledger { get; }
    public string ContractAddress { get; }
    public long TreeSize { get; }
    public int Checkpoints { get; }

    /// <summary>
    /// Cuts <paramref name="checkpoints"/> checkpoints over a few events each and anchors every one to the local anchor and
    /// to a CheckpointAnchor contract the EVM anchor deploys on <paramref name="node"/>.
    /// </summary>
    public static async Task<EvmLedger> Anchored(NpgsqlDataSource db, AnvilNode node, int checkpoints = 3)
    {
        var options = new LedgerOptions
        {
            CheckpointEveryLeaves = 1, CheckpointInterval = TimeSpan.FromHours(1), PollInterval = TimeSpan.FromMilliseconds(20),
            AnchorRetryAttempts = 1, AnchorRetryDelay = TimeSpan.FromMilliseconds(50), AnchorSubmitTimeout = TimeSpan.FromSeconds(20),
        };
        var clock = new SystemClock();
        var l = new LedgerParts(db, LedgerParts.NewKeys(), clock, options);
        var evm = new EvmAnchor(new EvmAnchorOptions
        {
            RpcUrl = node.RpcUrl, ChainId = AnvilNode.ChainId, PrivateKeyFile = node.PrivateKeyFile,
            ReceiptTimeout = TimeSpan.FromSeconds(10), ReceiptPollInterval = TimeSpan.FromMilliseconds(20), RpcTimeout = TimeSpan.FromSeconds(3),
        }, db);
        for (var i = 0; i < checkpoints; i++)
        {
            await l.AppendEvents(2 + i);
            await l.Builder.CatchUp(default);
            await l.Cutter.CutNow(default);
        }
        IAnchor[] anchors = [l.LocalAnchor, evm];
        Assert.Equal(2 * checkpoints, await new AnchorWorker(l.Db, anchors, options).AnchorPending(default));
        var exporter = new EvidenceExporter(db, l.Store, l.Tree, l.Keys, anchors, clock);
        var size = await exporter.AnchoredSize(default);
        Assert.Equal(await l.Store.HeadPosition(default), size);
        Assert.Equal(AnchorName, evm.Name);
        return new EvmLedger(l, exporter, evm.ContractAddress!, size, checkpoints);
    }

    /// <summary>A ledger bundle of every event: every checkpoint (each first logs some of them) is in it, with its receipts.</summary>
    public async Task<byte[]> Export()
    {
        using var zip = new MemoryStream();
        var export = await _exporter.ExportRange(1, TreeSize, TreeSize, zip, default);
        Assert.Equal(Checkpoints, export.Checkpoints);
        return zip.ToArray();
    }

    public ValueTask DisposeAsync() => Ledger.DisposeAsync();
}

public static class EvmEvidence
{
    public const string AnchorName = EvmLedger.AnchorName;

    public static Dictionary<string, byte[]> Files(byte[] zip) => BundleVerifier.ReadZip(new MemoryStream(zip));

    /// <summary>The files with the proof of the EVM receipt of checkpoint <paramref name="treeSize"/> changed; returns its receipt number in anchors.json.</summary>
    public static int EditEvmProof(Dictionary<string, byte[]> files, long treeSize, Action<JsonObject> edit)
    {
        var anchors = JsonNode.Parse(files[BundleFormat.Anchors])!;
        var receipts = anchors["receipts"]!.AsArray();
        for (var i = 0; i < receipts.Count; i++)
        {
            if (receipts[i]!["anchor"]!.GetValue<string>() != AnchorName || receipts[i]!["treeSize"]!.GetValue<long>() != treeSize) continue;
            edit(receipts[i]!["proof"]!.AsObject());
            files[BundleFormat.Anchors] = System.Text.Encoding.UTF8.GetBytes(anchors.ToJsonString());
            return i + 1;
        }
        throw new InvalidOperationException($"No {AnchorName} receipt for checkpoint {treeSize}.");
    }

    /// <summary>A 0x hex string with its last hex digit changed.</summary>
    public static string FlipLastDigit(string hex) => hex[..^1] + (hex[^1] == '0' ? '1' : '0');

    /// <summary>A 0x address with its first decimal digit (after 0x) changed: still an address, of another account.</summary>
    public static string FlipAddressDigit(string address)
    {
        var i = address.IndexOfAny("0123456789".ToCharArray(), 2);
        return address[..i] + (address[i] == '0' ? '1' : '0') + address[(i + 1)..];
    }

    public static byte[] Zip(IReadOnlyDictionary<string, byte[]> files)
    {
        using var m = new MemoryStream();
        BundleVerifier.WriteZip(files, m);
        return m.ToArray();
    }
}
