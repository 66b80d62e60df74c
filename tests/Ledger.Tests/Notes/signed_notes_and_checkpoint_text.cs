using System.Text;
using AssetLedger.Ledger.Checkpoints;
using AssetLedger.Ledger.Notes;

namespace AssetLedger.Ledger.Tests.Notes;

public sealed class signed_notes_and_checkpoint_text
{
    // The example key and note of golang.org/x/mod/sumdb/note (note_test.go), used across the signed-note ecosystem.
    const string PeterSigner = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    const string PeterVerifier = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    const string PeterText = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    const string PeterNote = PeterText + "\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

    [Fact]
    public void signing_the_reference_note_reproduces_its_signature_byte_for_byte()
    {
        using var signer = NoteSigner.Parse(PeterSigner);

        Assert.Equal(PeterVerifier, signer.VerifierKey);
        Assert.Equal(PeterNote, SignedNote.Sign(PeterText, signer));
    }

    [Fact]
    public void the_reference_note_opens_with_its_verifier_key()
    {
        var opened = SignedNote.Open(PeterNote, NoteVerifier.Parse(PeterVerifier));

        Assert.True(opened.IsValid, opened.Message);
        Assert.Equal(PeterText, opened.Text);
    }

    [Fact]
    public void a_tlog_witness_key_pair_from_the_ecosystem_derives_the_same_key_id_and_verifier_key()
    {
        using var signer = NoteSigner.Parse("PRIVATE+KEY+Test-Betty+df84580a+Afge8kCzBXU7jb3cV2Q363oNXCufJ6u9mjOY1BGRY9E2");

        Assert.Equal("Test-Betty+df84580a+AQQASqPUZoIHcJAF5mBOryctwFdTV1E0GRY4kEAtTzwB", signer.VerifierKey);
    }

    [Fact]
    public void changing_any_byte_of_a_signed_checkpoint_makes_it_fail_to_verify()
    {
        using var signer = NoteSigner.Generate("example.com/ledger");
        var body = new CheckpointBody("example.com/ledger", 1234, Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(), new DateTimeOffset(2026, 11, 25, 8, 0, 0, 123, TimeSpan.Zero), new byte[32]);
        var note = SignedNote.Sign(body.ToText(), signer);
        Assert.True(SignedNote.Open(note, signer.Verifier).IsValid);

        var bytes = Encoding.UTF8.GetBytes(note);
        var textLength = Encoding.UTF8.GetByteCount(body.ToText());
        for (var i = 0; i < textLength; i++)
        {
            var changed = (byte[])bytes.Clone();
            changed[i] = changed[i] == (byte)'1' ? (byte)'2' : (byte)'1';
            Assert.False(SignedNote.Open(Encoding.UTF8.GetString(changed), signer.Verifier).IsValid, $"byte {i} changed and it still verifies");
        }
        var sigStart = note.LastIndexOf(' ') + 1;
        var c = note[sigStart + 20];
        var tampered = note[..(sigStart + 20)] + (c == 'A' ? 'B' : 'A') + note[(sigStart + 21)..];
        Assert.False(SignedNote.Open(tampered, signer.Verifier).IsValid);
    }

    [Fact]
    public void a_note_signed_by_another_key_with_the_same_name_does_not_verify()
    {
        using var ours = NoteSigner.Generate("example.com/ledger");
        using var theirs = NoteSigner.Generate("example.com/ledger");

        var opened = SignedNote.Open(SignedNote.Sign("example.com/ledger\n1\nAAAA\n", theirs), ours.Verifier);

        Assert.False(opened.IsValid);
    }

    [Fact]
    public void the_checkpoint_text_is_origin_size_root_timestamp_and_previous()
    {
        var root = Convert.FromHexString("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
        var previous = Convert.FromHexString("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        var body = new CheckpointBody("assetledger.local/ledger", 8, root, new DateTimeOffset(2026, 11, 25, 8, 0, 0, 5, TimeSpan.Zero), previous);

        Assert.Equal(
            "assetledger.local/ledger\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\ntimestamp 2026-11-25T08:00:00.005Z\nprevious 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n",
            body.ToText());
        var parsed = CheckpointBody.Parse(body.ToText());
        Assert.Equal((body.Origin, body.TreeSize, body.Timestamp), (parsed.Origin, parsed.TreeSize, parsed.Timestamp));
        Assert.Equal(root, parsed.RootHash);
        Assert.Equal(previous, parsed.PreviousHash);
    }
}
