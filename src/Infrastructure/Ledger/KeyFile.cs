using AssetLedger.Ledger.Notes;

namespace AssetLedger.Infrastructure.Ledger;

/// <summary>
/// A signer key in a file outside git (one line, the signer-key text). Created on first start, read
/// thereafter. Every process that signs for one ledger must read the same file (a shared directory or a
/// deployed copy): the checkpoint cutter refuses to sign on from a checkpoint another key signed.
/// </summary>
public static class KeyFile
{
    public static NoteSigner LoadOrCreate(string directory, string fileName, string keyName)
    {
        var path = Path.Combine(directory, fileName);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(directory);
            using var fresh = NoteSigner.Generate(keyName);
            var temp = Path.Combine(directory, $".{fileName}.{Guid.NewGuid():N}.tmp");
            File.WriteAllText(temp, fresh.ExportSignerKey() + "\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            try { File.Move(temp, path, overwrite: false); }
            catch (IOException) when (File.Exists(path)) { File.Delete(temp); } // another process created it first: use theirs
        }
        var signer = NoteSigner.Parse(File.ReadAllText(path));
        if (signer.Name != keyName)
        {
            signer.Dispose();
            throw new InvalidOperationException($"The key in {path} is named '{signer.Name}', not '{keyName}': change the configured name back or move the file away.");
        }
        return signer;
    }
}
