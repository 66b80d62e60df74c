using System.Text.Json;
using AssetLedger.Application.Ports;

namespace AssetLedger.Infrastructure.Ledger;

/// <summary>
/// The newest checkpoint an anchor holds, kept in a file OUTSIDE the database (beside the keys): a restore of the
/// database from an older backup rolls back <c>anchor_receipts</c> and the local anchor log with it, so only a record
/// that the restore does not touch can tell that history third parties hold has gone. It only ever rises, except when
/// an operator acknowledges a loss (<see cref="Lower"/>), which is written to <c>acknowledged-losses.log</c> beside it.
/// </summary>
public static class PublishedMark
{
    public const string FileName = "published-checkpoint.json";
    public const string LossLogName = "acknowledged-losses.log";

    public static PublishedCheckpoint? Read(string path)
    {
        try { return JsonSerializer.Deserialize<PublishedCheckpoint>(File.ReadAllText(path), JsonSerializerOptions.Web); }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
    }

    /// <summary>Records <paramref name="checkpoint"/> unless the file already names a larger one (written whole, then renamed, so a reader never sees half).</summary>
    public static void Raise(string path, PublishedCheckpoint checkpoint)
    {
        lock (Gate)
        {
            if (Read(path) is { } known && known.TreeSize >= checkpoint.TreeSize) return;
            Write(path, checkpoint);
        }
    }

    /// <summary>The operator's acknowledgement: the mark drops to what the database holds, and the loss is logged.</summary>
    public static void Lower(string path, PublishedCheckpoint lost, PublishedCheckpoint? kept, DateTimeOffset now)
    {
        lock (Gate)
        {
            var log = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, LossLogName);
            File.AppendAllText(log, $"{now:O} lost checkpoint {lost.TreeSize} {lost.CheckpointHash} (held by {lost.HeldBy}); database restored to {kept?.TreeSize ?? 0}\n");
            if (kept is null) File.Delete(path);
            else Write(path, kept);
        }
    }

    static readonly object Gate = new();

    static void Write(string path, PublishedCheckpoint checkpoint)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(checkpoint, JsonSerializerOptions.Web));
        File.Move(temp, path, overwrite: true);
    }
}
