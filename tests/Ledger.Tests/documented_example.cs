using System.Security.Cryptography;
using System.Text;
using AssetLedger.Ledger.Checkpoints;
using AssetLedger.Ledger.Merkle;
using AssetLedger.Ledger.Notes;

namespace AssetLedger.Ledger.Tests;

/// <summary>The worked example of docs/checkpoint-format.md, so the document cannot drift from the code.</summary>
public sealed class documented_example
{
    static byte[] EventHash(int i) => SHA256.HashData(Encoding.UTF8.GetBytes($"event {i}"));
    static string Hex(byte[] b) => Convert.ToHexStringLower(b);

    static MemoryMerkleTree Tree()
    {
        var tree = new MemoryMerkleTree();
        for (var i = 0; i < 5; i++) tree.Append(EventHash(i));
        return tree;
    }

    [Fact]
    public void the_example_tree_has_the_documented_root_and_proofs()
    {
        var tree = Tree();

        Assert.Equal("b5878acbf363bd1829743b285936426203732a0ca2f05971ca9f268a2f24872a", Hex(tree.Root(3)));
        Assert.Equal("4a8fe0d81faa6ef3d0d0b5a5df4d1292678b75514da768820615856c5614b055", Hex(tree.Root(5)));
        Assert.Equal("a58e5cfdb8779545e435555e821052621a96c1c68a5b9bba82a0d04e0cbb302b 81f5c95d6bef476e64b9599984e1033ec99eca3610a7750c7cca284764e35530 5a303f540cf9422b15446a945c7c78d27242002e9974b99f6cc3934ba71a64e6", string.Join(" ", tree.Inclusion(2, 5).Select(Hex)));
        Assert.Equal("844a329ebe8751c7fefa6a46cac076e69401ad5b04f8ddd016d23e4a2d8e10e7 a58e5cfdb8779545e435555e821052621a96c1c68a5b9bba82a0d04e0cbb302b 81f5c95d6bef476e64b9599984e1033ec99eca3610a7750c7cca284764e35530 5a303f540cf9422b15446a945c7c78d27242002e9974b99f6cc3934ba71a64e6", string.Join(" ", tree.Consistency(3, 5).Select(Hex)));
    }

    [Fact]
    public void the_example_checkpoint_is_signed_as_documented()
    {
        var seed = SHA256.HashData(Encoding.UTF8.GetBytes("assetledger example key"));
        using var key = NoteSigner.Parse($"PRIVATE+KEY+example.com/ledger+{NoteKeys.KeyId("example.com/ledger", Derive(seed)):x8}+{Convert.ToBase64String([0x01, .. seed])}");
        var body = new CheckpointBody("example.com/ledger", 5, Tree().Root(5), new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero), null);
        var note = SignedNote.Sign(body.ToText(), key);

        Assert.Equal("example.com/ledger+8dbec0e0+AbKRc3EShwK0/T9srDI8Jj1gEYjMh2HyMQ9xPJwt4xPC", key.VerifierKey);
        Assert.Equal("example.com/ledger\n5\nSo/g2B+qbvPQ0LWl300SkmeLdVFNp2iCBhWFbFYUsFU=\ntimestamp 2026-11-25T08:00:00.000Z\n\n\u2014 example.com/ledger jb7A4C2TKt0xUrGe7LPSEM1BKzrth/A2rIbBKLmjYRCJRDfN+wSkuW4lk3wv9dJm8ZBckVk/OmLSk4A6Gonr0s9/gQU=\n", note);
        Assert.Equal("5602df6f1f720e158a75765b16eca9a3de6c387263d622a2784b1a19cd084a5d", Hex(CheckpointBody.NoteHash(note)));
    }

    static byte[] Derive(byte[] seed)
    {
        using var k = NSec.Cryptography.Key.Import(NSec.Cryptography.SignatureAlgorithm.Ed25519, seed, NSec.Cryptography.KeyBlobFormat.RawPrivateKey);
        return k.PublicKey.Export(NSec.Cryptography.KeyBlobFormat.RawPublicKey);
    }
}
