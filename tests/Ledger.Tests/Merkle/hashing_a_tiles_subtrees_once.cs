using AssetLedger.Ledger.Merkle;

namespace AssetLedger.Ledger.Tests.Merkle;

/// <summary>
/// A certificate's proofs read each tile once and hash each inner node of it once (<see cref="Tiles.Hasher"/>): every
/// complete subtree it gives is the hash <see cref="Tiles.Hash"/> gives, for a full tile and for the partial edge tile.
/// </summary>
public sealed class hashing_a_tiles_subtrees_once
{
    [Theory]
    [InlineData(Tiles.Width)]
    [InlineData(77)]
    public void every_complete_subtree_of_a_tile_hashes_as_it_does_alone(int entries)
    {
        var tile = new byte[entries * MerkleHash.Size];
        new Random(17).NextBytes(tile);
        var hasher = new Tiles.Hasher(tile);
        var checkedSubtrees = 0;
        // Largest first, so the smaller ones come from what the larger ones left behind.
        for (var count = Tiles.Width; count >= 1; count /= 2)
            for (var offset = 0; offset + count <= entries; offset += count)
            {
                Assert.Equal(Tiles.Hash(tile, offset, count), hasher.Hash(offset, count));
                checkedSubtrees++;
            }
        Assert.True(checkedSubtrees >= entries);
        Assert.Throws<InvalidOperationException>(() => hasher.Hash(entries - entries % 2, 2 + entries % 2 * 2));
    }
}
