using AssetLedger.Ledger.Notes;

namespace AssetLedger.Infrastructure.Ledger;

public sealed class LedgerOptions
{
    /// <summary>The log's identity: first line of every checkpoint and the ledger key's name (no spaces, no '+').</summary>
    public string Origin { get; set; } = "assetledger.local/ledger";

    /// <summary>The local anchor log's identity and its key's name.</summary>
    public string AnchorOrigin { get; set; } = "assetledger.local/anchor";

    /// <summary>Where ledger.key and anchor.key live; outside git (.data/ is ignored).</summary>
    public string KeyDirectory { get; set; } = Path.Combine(".data", "keys");

    /// <summary>
    /// Where the anchor worker records the newest anchored checkpoint, outside the database (<see cref="PublishedMark"/>);
    /// null: not recorded (tools and tests that own a throwaway database). The API sets it beside the keys.
    /// </summary>
    public string? PublishedMarkFile { get; set; }

    public int CheckpointEveryLeaves { get; set; } = 1000;
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Most leaves the builder appends per transaction.</summary>
    public int BuilderBatchSize { get; set; } = 2000;

    /// <summary>How long the worker sleeps when there was nothing to do.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Retries of one anchor submission within a run (exponential backoff with jitter from <see cref="AnchorRetryDelay"/>).</summary>
    public int AnchorRetryAttempts { get; set; } = 3;
    public TimeSpan AnchorRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest wait between anchoring runs after repeated failures.</summary>
    public TimeSpan AnchorMaxBackoff { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Longest one submission attempt may take (a chain that hangs counts as failing).</summary>
    public TimeSpan AnchorSubmitTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The health check reports an anchor target failing for longer than this as degraded.</summary>
    public TimeSpan AnchorDegradedAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the anchor worker reads which managed chain targets are active (a new one starts, a deactivated one stops, within this time).</summary>
    public TimeSpan TargetRefreshInterval { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>The ledger's two keys: one signs checkpoints, the other the local anchor log.</summary>
public sealed class LedgerKeys : IDisposable
{
    public LedgerKeys(NoteSigner ledger, NoteSigner anchor) => (Ledger, Anchor) = (ledger, anchor);

    public NoteSigner Ledger { get; }
    public NoteSigner Anchor { get; }

    public static LedgerKeys LoadOrCreate(LedgerOptions options) => new(
        KeyFile.LoadOrCreate(options.KeyDirectory, "ledger.key", options.Origin),
        KeyFile.LoadOrCreate(options.KeyDirectory, "anchor.key", options.AnchorOrigin));

    public void Dispose()
    {
        Ledger.Dispose();
        Anchor.Dispose();
    }
}
