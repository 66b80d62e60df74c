using AssetLedger.Domain.Devices;
using AssetLedger.Ledger.Merkle;

namespace AssetLedger.Ledger.Devices;

/// <summary>
/// A delivery's accepted readings as one event (<see cref="DeviceReadingsRecorded"/>) and how one reading in it is proved:
/// the readings' signed messages (COSE_Sign1 bytes) are the leaves of an RFC 9162 Merkle tree, hashed as the log hashes
/// its leaves and nodes (<see cref="MerkleHash"/>), and the event carries the root. A reading's proof is its index, the
/// batch's size and its audit path to that root, plus the event's own inclusion proof in the log.
/// </summary>
public static class ReadingBatches
{
    /// <summary>The Domain's decision, with the batch event's root sealed: what the registry appends and what a verifier re-decides.</summary>
    public static ReadingsDecision Decide(DeviceState state, RecordReadings command)
    {
        var decision = DeviceDecider.Readings(state, command);
        return decision.Events is [DeviceReadingsRecorded batch] ? decision with { Events = [Seal(batch)] } : decision;
    }

    public static DeviceReadingsRecorded Seal(DeviceReadingsRecorded batch) => batch with { Root = Root(batch.Readings.Select(r => r.Message)) };

    /// <summary>The Merkle root (hex) over the messages (base64), in order.</summary>
    public static string Root(IEnumerable<string> messages)
    {
        var tree = Tree(messages);
        return Convert.ToHexStringLower(tree.Root(tree.Size));
    }

    /// <summary>The audit path (hex hashes, leaf to root) of the reading at <paramref name="index"/>.</summary>
    public static IReadOnlyList<string> Path(IReadOnlyList<string> messages, int index)
    {
        var tree = Tree(messages);
        return [.. tree.Inclusion(index, tree.Size).Select(Convert.ToHexStringLower)];
    }

    /// <summary>Whether <paramref name="message"/> is the reading at <paramref name="index"/> of a batch of <paramref name="size"/> whose root is <paramref name="root"/>.</summary>
    public static bool Proves(string message, int index, int size, IReadOnlyList<string> path, string root)
    {
        try
        {
            return MerkleVerifier.VerifyInclusion(index, size, MerkleHash.Leaf(Convert.FromBase64String(message)), [.. path.Select(Convert.FromHexString)], Convert.FromHexString(root)).IsValid;
        }
        catch (FormatException) { return false; }
    }

    static MemoryMerkleTree Tree(IEnumerable<string> messages)
    {
        var tree = new MemoryMerkleTree();
        foreach (var m in messages) tree.Append(Convert.FromBase64String(m));
        return tree;
    }
}
