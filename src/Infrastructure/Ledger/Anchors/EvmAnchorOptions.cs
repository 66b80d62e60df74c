namespace AssetLedger.Infrastructure.Ledger.Anchors;

/// <summary>
/// An EVM anchor target, from configuration <c>AssetLedger:Chains:Evm</c>. The private key is never in
/// configuration itself: <see cref="PrivateKeyFile"/> or <see cref="PrivateKeyEnv"/> names where to read it.
/// </summary>
public sealed class EvmAnchorOptions
{
    /// <summary>JSON-RPC endpoint, e.g. http://127.0.0.1:8545. The target is registered only when this is set.</summary>
    public string? RpcUrl { get; set; }

    /// <summary>The chain id the endpoint must report (EIP-155); part of the anchor's name and of every receipt.</summary>
    public long ChainId { get; set; }

    /// <summary>File holding the anchoring account's private key (hex, optional 0x). Keep it outside git.</summary>
    public string? PrivateKeyFile { get; set; }

    /// <summary>Name of an environment variable holding the private key (used when no file is named).</summary>
    public string? PrivateKeyEnv { get; set; }

    /// <summary>An already deployed CheckpointAnchor; when unset the anchor deploys one on first use and records it in PostgreSQL.</summary>
    public string? ContractAddress { get; set; }

    /// <summary>The anchor's name (cursor and receipts key); default <c>evm:&lt;ChainId&gt;</c>. A new contract on the same chain needs a new name.</summary>
    public string? Name { get; set; }

    /// <summary>Send legacy (pre-EIP-1559) transactions, for consortium chains without a fee market.</summary>
    public bool LegacyTransactions { get; set; }

    /// <summary>
    /// Most anchoring transactions in flight at once: the next checkpoints are sent ahead with consecutive nonces, so
    /// several land in one block (1 sends one transaction per block, which caps anchoring at one checkpoint per block).
    /// </summary>
    public int MaxInFlight { get; set; } = 16;

    /// <summary>How long to wait for a transaction's receipt before the submission counts as failed (it is retried, idempotently).</summary>
    public TimeSpan ReceiptTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often to ask for a receipt while waiting.</summary>
    public TimeSpan ReceiptPollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Timeout of one JSON-RPC call.</summary>
    public TimeSpan RpcTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public string AnchorName => string.IsNullOrWhiteSpace(Name) ? $"evm:{ChainId}" : Name!;

    /// <summary>Reads the private key from the named file or environment variable; never logged, stored or returned.</summary>
    public string ReadPrivateKey()
    {
        string? key = null;
        if (!string.IsNullOrWhiteSpace(PrivateKeyFile))
        {
            if (!File.Exists(PrivateKeyFile)) throw new InvalidOperationException($"AssetLedger:Chains:Evm:PrivateKeyFile names {PrivateKeyFile}, which does not exist.");
            key = File.ReadAllText(PrivateKeyFile);
        }
        else if (!string.IsNullOrWhiteSpace(PrivateKeyEnv))
        {
            key = Environment.GetEnvironmentVariable(PrivateKeyEnv)
                ?? throw new InvalidOperationException($"AssetLedger:Chains:Evm:PrivateKeyEnv names the environment variable {PrivateKeyEnv}, which is not set.");
        }
        else throw new InvalidOperationException("An EVM anchor needs a private key: set AssetLedger:Chains:Evm:PrivateKeyFile or PrivateKeyEnv.");
        key = key.Trim();
        if (key.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) key = key[2..];
        if (key.Length != 64 || !key.All(Uri.IsHexDigit)) throw new InvalidOperationException("The EVM private key must be 32 bytes of hex.");
        return key;
    }

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(RpcUrl) || !Uri.TryCreate(RpcUrl, UriKind.Absolute, out _))
            throw new InvalidOperationException("AssetLedger:Chains:Evm:RpcUrl must be an absolute URL.");
        if (ChainId <= 0) throw new InvalidOperationException("AssetLedger:Chains:Evm:ChainId must be set to the chain's id.");
        if (ContractAddress is { Length: > 0 } a && !(a.Length == 42 && a.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && a[2..].All(Uri.IsHexDigit)))
            throw new InvalidOperationException("AssetLedger:Chains:Evm:ContractAddress must be a 0x-prefixed 20-byte address.");
        _ = ReadPrivateKey();
    }
}
