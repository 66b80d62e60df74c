using AssetLedger.Ledger.Evidence.Parsing;

namespace AssetLedger.Ledger.Evidence.Checks;

/// <summary>The bundle's keys are the ones the person verifying trusts, when they name them (otherwise says how to pin them).</summary>
static class TrustedKeysCheck
{
    public static VerificationCheck Run(ParsedBundle bundle, VerifierOptions options)
    {
        var failures = new List<string>();
        var (ledgerKey, anchorKey) = (bundle.Manifest.LedgerKey, bundle.Manifest.AnchorKey);
        if (options.LedgerKey is { } l && l.Trim() != ledgerKey.VerifierKey) failures.Add($"{BundleFormat.Manifest}: ledger key {ledgerKey.VerifierKey} is not the trusted {l.Trim()}");
        if (options.AnchorKey is { } a && a.Trim() != anchorKey.VerifierKey) failures.Add($"{BundleFormat.Manifest}: anchor key {anchorKey.VerifierKey} is not the trusted {a.Trim()}");
        var pinned = options.LedgerKey is not null || options.AnchorKey is not null;
        return VerificationCheck.From("trusted keys", failures, pinned
            ? $"the bundle's keys are the trusted ones ({(options.LedgerKey is null ? "" : "ledger")}{(options.LedgerKey is not null && options.AnchorKey is not null ? " and " : "")}{(options.AnchorKey is null ? "" : "anchor")})"
            : $"taken from {BundleFormat.Manifest} (not pinned: compare {ledgerKey.VerifierKey} with GET /api/v1/ledger/keys, or pass --ledger-key)");
    }
}
