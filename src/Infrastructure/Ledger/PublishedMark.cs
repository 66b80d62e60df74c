using System.Text.Json;
using AssetLedger.Application.Ports;

namespace AssetLedger.Infrastructure.Ledger;

/// <summary>
/// The newest checkpoint an anchor holds, kept in a file OUTSIDE the database (beside the keys): a restore of the
/// database from an older backup rolls back <c>anchor_receipts</c> and the local anchor log with it, so only a record
/// that the restore does not touch can tell that history third parties hold has gone. The file keeps one entry per
/// database identity (<c>ledger_identity</c>, carried by every backup): a restored database meets its own entry, a new
/// database with the same keys starts one of its own. An entry only ever rises, except when an operator acknowledges a
/// loss (<see cref="Lower"/>), which is written to <c>acknowledged-losses.log</c> beside it.
/// </summary>
public static class PublishedMark
{
    public const string FileName = "published-checkpoint.json";
    public const string LossLogName = "acknowledged-losses.log";

    /// <summary>The entry of the database <paramref name="ledger"/> (its identity), or null when it has none.</summary>
    public static PublishedCheckpoint? Read(string path, string ledger) => ReadAll(path).GetValueOrDefault(ledger);

    /// <summary>Records <paramref name="checkpoint"/> unless the entry already names a larger one (written whole, then renamed, so a reader never sees half).</summary>
    public static void Raise(string path, string ledger, PublishedCheckpoint checkpoint)
    {
        lock (Gate)
        {
            var all = ReadAll(path);
            if (all.TryGetValue(ledger, out var known) && known.TreeSize >= checkpoint.TreeSize) return;
            all[ledger] = checkpoint;
            Write(path, all);
        }
    }

    /// <summary>The operator's acknowledgement: the entry drops to what the database holds, and the loss is logged.</summary>
    public static void Lower(string path, string ledger, PublishedCheckpoint lost, PublishedCheckpoint? kept, DateTimeOffset now)
    {
        lock (Gate)
        {
            var log = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, LossLogName);
            File.AppendAllText(log, $"{now:O} database {ledger} lost checkpoint {lost.TreeSize} {lost.CheckpointHash} (held by {lost.HeldBy}); restored to {kept?.TreeSize ?? 0}\n");
            var all = ReadAll(path);
            if (kept is null) all.Remove(ledger);
            else all[ledger] = kept;
            Write(path, all);
        }
    }

    static readonly object Gate = new();

    static Dictionary<string, PublishedCheckpoint> ReadAll(string path)
    {
        try { return JsonSerializer.Deserialize<Dictionary<string, PublishedCheckpoint>>(File.ReadAllText(path), JsonSerializerOptions.Web) ?? []; }
        catch (FileNotFoundException) { return []; }
        catch (DirectoryNotFoundException) { return []; }
    }

    static void Write(string path, Dictionary<string, PublishedCheckpoint> all)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        // A temporary name of this writer's own: two instances sharing the key directory never write the same file.
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(all, JsonSerializerOptions.Web));
        File.Move(temp, path, overwrite: true);
    }
}
