using System.Text;
using System.Text.Json.Nodes;
using AssetLedger.Ledger.Witness;

namespace AssetLedger.Cli.Witness;

/// <summary>
/// A witness's own storage, in one directory of its machine and nothing else (never the registry's database):
/// <c>witness.key</c> (its signer key, created on first use, readable by its owner only), <c>checkpoints.json</c> (per
/// origin, the latest checkpoint it cosigned, replaced atomically by rename after an fsync) and <c>equivocations.jsonl</c>
/// (every equivocation it saw, appended). <see cref="Submit"/> reads, decides and persists under one lock, so two requests
/// can never roll the stored size back (tlog-witness's race).
/// </summary>
public sealed class WitnessStore
{
    const string KeyFile = "witness.key", StateFile = "checkpoints.json", EquivocationFile = "equivocations.jsonl";
    readonly string _dir;
    readonly SemaphoreSlim _lock = new(1, 1);
    readonly Dictionary<string, WitnessedCheckpoint> _latest;

    public WitnessStore(string directory)
    {
        _dir = directory;
        Directory.CreateDirectory(directory);
        _latest = Load(Path.Combine(directory, StateFile));
    }

    public string EquivocationsPath => Path.Combine(_dir, EquivocationFile);

    /// <summary>The witness's key: read from <c>witness.key</c>, or generated under <paramref name="name"/> and written there.</summary>
    public Cosigner LoadOrCreateKey(string name)
    {
        var path = Path.Combine(_dir, KeyFile);
        if (File.Exists(path)) return Cosigner.Parse(File.ReadAllText(path));
        var key = Cosigner.Generate(name);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var w = new StreamWriter(path, Encoding.ASCII, options)) w.WriteLine(key.ExportSignerKey());
        return key;
    }

    public WitnessedCheckpoint? Latest(string origin) { lock (_latest) return _latest.GetValueOrDefault(origin); }

    /// <summary>Decides on one add-checkpoint body and, before answering, persists what it changes.</summary>
    public async Task<WitnessVerdict> Submit(string body, Func<string, AssetLedger.Ledger.Notes.NoteVerifier?> logKey, DateTimeOffset now, CancellationToken ct)
    {
        await _lock.WaitAsync(ct);
        try
        {
            var verdict = WitnessDecision.Decide(body, logKey, Latest, now);
            // A log that keeps retrying its fork proves nothing new: each conflicting checkpoint is kept once.
            if (verdict.Equivocation is { } e && !Equivocations().Any(l => EquivocationProof.FromJson(l).Conflicting.Note == e.Conflicting.Note))
                await File.AppendAllTextAsync(EquivocationsPath, EquivocationProof.ToJson(e) + "\n", ct);
            if (verdict.Accepted is { } a && Latest(a.Origin)?.Size != a.Size)
            {
                lock (_latest) _latest[a.Origin] = a;
                await Save(ct);
            }
            return verdict;
        }
        finally { _lock.Release(); }
    }

    /// <summary>Every equivocation kept, oldest first, as the JSON a court is handed.</summary>
    public IReadOnlyList<string> Equivocations() =>
        File.Exists(EquivocationsPath) ? File.ReadAllLines(EquivocationsPath).Where(l => l.Length > 0).ToList() : [];

    async Task Save(CancellationToken ct)
    {
        var state = new JsonObject();
        lock (_latest)
            foreach (var (origin, c) in _latest.OrderBy(p => p.Key, StringComparer.Ordinal)) state[origin] = c.Note;
        var path = Path.Combine(_dir, StateFile);
        var temp = path + ".tmp";
        await using (var f = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            await f.WriteAsync(Encoding.UTF8.GetBytes(state.ToJsonString()), ct);
            f.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    static Dictionary<string, WitnessedCheckpoint> Load(string path)
    {
        var latest = new Dictionary<string, WitnessedCheckpoint>(StringComparer.Ordinal);
        if (!File.Exists(path)) return latest;
        foreach (var (origin, note) in JsonNode.Parse(File.ReadAllText(path))!.AsObject())
            latest[origin] = WitnessDecision.ReadCheckpoint(note!.GetValue<string>());
        return latest;
    }
}
