namespace AssetLedger.Ledger.Evidence;

/// <summary>Keys the person verifying trusts from elsewhere (e.g. <c>GET /api/v1/ledger/keys</c>); unset, the manifest's are used.</summary>
/// <param name="FabricMspRoots">MSP id → PEM root certificate(s) of the Fabric organisations whose endorsement each Fabric receipt must carry.</param>
public sealed record VerifierOptions(
    string? LedgerKey = null, string? AnchorKey = null, TrustPolicy? Policy = null,
    IReadOnlyDictionary<string, string>? FabricMspRoots = null)
{
    public TrustPolicy TrustPolicy => Policy ?? new TrustPolicy();
}

/// <summary>One check: passed or not, a one-line summary, and each failure naming the file, position and event.</summary>
public sealed record VerificationCheck(string Name, bool Passed, string Summary, IReadOnlyList<string> Failures)
{
    const int MaxListed = 50;

    /// <summary>Passed if there is no failure; at most 50 failures are listed, then how many more.</summary>
    internal static VerificationCheck From(string name, List<string> failures, string passSummary, string? failSummary = null)
    {
        var shown = failures.Count > MaxListed ? [.. failures.Take(MaxListed), $"… and {failures.Count - MaxListed} more"] : failures;
        return new VerificationCheck(name, failures.Count == 0, failures.Count == 0 ? passSummary : failSummary ?? $"{failures.Count} failed", shown);
    }
}

/// <param name="Unpinned">Why the bundle, even if every check holds, rests on something the person did not pin (empty: nothing).</param>
public sealed record VerificationReport(string Subject, IReadOnlyList<VerificationCheck> Checks, IReadOnlyList<string>? Unpinned = null)
{
    /// <summary>Every check holds: the bundle is consistent in itself.</summary>
    public bool Ok => Checks.Count > 0 && Checks.All(c => c.Passed);

    /// <summary>Consistent and pinned: the ledger key and the trust policy came from outside the bundle and are met.</summary>
    public bool Verified => Ok && (Unpinned ?? []).Count == 0;

    public IEnumerable<VerificationCheck> Failed => Checks.Where(c => !c.Passed);
}
