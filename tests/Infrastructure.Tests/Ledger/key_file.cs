using AssetLedger.Infrastructure.Ledger;

namespace AssetLedger.Infrastructure.Tests.Ledger;

/// <summary>The ledger's signing key file: created on first start, read back after, refused under another key name.</summary>
public sealed class key_file
{
    [Fact]
    public void a_key_file_is_created_once_and_read_back()
    {
        var dir = Path.Combine(Path.GetTempPath(), "assetledger-keys-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var first = KeyFile.LoadOrCreate(dir, "ledger.key", "example.com/ledger");
            using var again = KeyFile.LoadOrCreate(dir, "ledger.key", "example.com/ledger");

            Assert.Equal(first.VerifierKey, again.VerifierKey);
            Assert.StartsWith("PRIVATE+KEY+example.com/ledger+", File.ReadAllText(Path.Combine(dir, "ledger.key")));
            Assert.Throws<InvalidOperationException>(() => KeyFile.LoadOrCreate(dir, "ledger.key", "other.example/ledger"));
        }
        finally { Directory.Delete(dir, true); }
    }
}
