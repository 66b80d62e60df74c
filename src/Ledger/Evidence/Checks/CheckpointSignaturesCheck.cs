using AssetLedger.Ledger.Evidence.Parsing;

namespace AssetLedger.Ledger.Evidence.Checks;

/// <summary>
/// Every file under <c>checkpoints/</c> is a checkpoint of the bundle's log, of the size its name says, signed by the
/// ledger key; the bundle's own checkpoint is there; and larger checkpoints are not older.
/// </summary>
static class CheckpointSignaturesCheck
{
    public static VerificationCheck Run(ParsedBundle bundle, VerifierOptions options)
    {
        var failures = new List<string>();
        var m = bundle.Manifest;
        foreach (var file in bundle.CheckpointFiles)
        {
            if (file.Size is null) failures.Add($"{file.Path}: not a checkpoint file name (checkpoints/<tree size>.txt)");
            else if (file.Body is null) failures.Add($"{file.Path}: not a checkpoint ({file.Error})");
            else failures.AddRange(file.Problems(m.Origin));
        }
        if (!bundle.Checkpoints.ContainsKey(m.TreeSize)) failures.Add($"{m.CheckpointFile}: the bundle's checkpoint is missing");
        var ordered = bundle.Checkpoints.Values.OrderBy(c => c.Size).ToList();
        for (var i = 1; i < ordered.Count; i++)
            if (ordered[i].Timestamp < ordered[i - 1].Timestamp)
                failures.Add($"{ordered[i].File}: timestamp {ordered[i].Timestamp:O} is before that of the smaller checkpoint {ordered[i - 1].Size} ({ordered[i - 1].Timestamp:O})");
        var main = bundle.MainCheckpoint;
        return VerificationCheck.From("checkpoint signatures", failures,
            $"{bundle.Checkpoints.Count} checkpoints signed by {m.LedgerKey.Name}; the bundle's: {m.TreeSize} events at {main?.Timestamp:yyyy-MM-dd HH:mm:ss.fff} UTC, root {(main is null ? "?" : Convert.ToHexStringLower(main.Root))}");
    }
}
