using AssetLedger.Ledger.Checkpoints;
using AssetLedger.Ledger.Merkle;
using AssetLedger.Ledger.Notes;
using AssetLedger.Ledger.Witness;

namespace AssetLedger.Ledger.Tests.Witness;

/// <summary>The witness's decision (C2SP tlog-witness): cosign what extends what it cosigned, refuse the rest with the spec's status, keep equivocations.</summary>
public sealed class a_witness_decides_on_checkpoints : IDisposable
{
    const string Origin = "registry.test/log";
    static readonly DateTimeOffset Now = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);
    readonly NoteSigner _log = NoteSigner.Generate(Origin);
    readonly MemoryMerkleTree _tree = new();
    readonly MemoryMerkleTree _fork = new();
    WitnessedCheckpoint? _latest;

    public a_witness_decides_on_checkpoints()
    {
        for (var i = 0; i < 20; i++)
        {
            _tree.Append([(byte)i, 1]);
            _fork.Append([(byte)i, (byte)(i < 7 ? 1 : 2)]); // the operator's fork: leaf 7 onwards re-derived
        }
    }

    public void Dispose() => _log.Dispose();

    string Note(MemoryMerkleTree tree, long size, NoteSigner? signer = null) =>
        SignedNote.Sign(new CheckpointBody(Origin, size, tree.Root(size), Now, null).ToText(), signer ?? _log);

    WitnessVerdict Submit(long oldSize, IReadOnlyList<byte[]> proof, string note)
    {
        var verdict = WitnessDecision.Decide(new AddCheckpointRequest(oldSize, proof, note).ToText(),
            o => o == Origin ? _log.Verifier : null, o => o == Origin ? _latest : null, Now);
        if (verdict.Accepted is { } a) _latest = a;
        return verdict;
    }

    [Fact]
    public void it_cosigns_the_first_checkpoint_and_then_only_one_proven_to_extend_it()
    {
        Assert.Equal(200, Submit(0, [], Note(_tree, 5)).Status);
        var next = Submit(5, _tree.Consistency(5, 12), Note(_tree, 12));
        Assert.Equal(200, next.Status);
        Assert.Equal(12, _latest!.Size);
        Assert.Equal(200, Submit(12, [], Note(_tree, 12)).Status); // the same checkpoint again
    }

    [Fact]
    public void a_forked_checkpoint_is_refused_with_422_and_both_signed_checkpoints_are_kept_as_proof()
    {
        Submit(0, [], Note(_tree, 10));
        var forked = Note(_fork, 15);
        var verdict = Submit(10, _fork.Consistency(10, 15), forked);

        Assert.Equal(422, verdict.Status);
        Assert.Equal(10, _latest!.Size);
        var proof = EquivocationProof.FromJson(EquivocationProof.ToJson(verdict.Equivocation!));
        Assert.Equal(forked, proof.Conflicting.Note);
        Assert.Null(EquivocationProof.Check(proof, _log.Verifier));
    }

    [Fact]
    public void two_roots_for_one_size_are_a_409_conflict_and_an_equivocation()
    {
        Submit(0, [], Note(_tree, 10));
        var verdict = Submit(10, [], Note(_fork, 10));
        Assert.Equal(409, verdict.Status);
        Assert.NotNull(verdict.Equivocation);
        Assert.Null(EquivocationProof.Check(verdict.Equivocation!, _log.Verifier));
    }

    [Fact]
    public void a_wrong_old_size_is_a_409_with_the_witnesss_size_and_no_equivocation()
    {
        Submit(0, [], Note(_tree, 10));
        var verdict = Submit(5, _tree.Consistency(5, 12), Note(_tree, 12));
        Assert.Equal(409, verdict.Status);
        Assert.Equal(10, verdict.LatestSize);
        Assert.Null(verdict.Equivocation);
    }

    [Fact]
    public void unknown_origins_untrusted_signatures_and_malformed_bodies_get_404_403_and_400()
    {
        using var other = NoteSigner.Generate(Origin);
        Assert.Equal(403, Submit(0, [], Note(_tree, 3, other)).Status);
        using var stranger = NoteSigner.Generate("elsewhere.test/log");
        var strangerNote = SignedNote.Sign(new CheckpointBody(stranger.Name, 3, _tree.Root(3), Now, null).ToText(), stranger);
        Assert.Equal(404, Submit(0, [], strangerNote).Status);
        Assert.Equal(400, WitnessDecision.Decide("old 01\n\n" + Note(_tree, 3), _ => _log.Verifier, _ => null, Now).Status);
        Assert.Equal(400, Submit(9, [], Note(_tree, 3)).Status);
        Assert.Equal(422, Submit(0, [new byte[32]], Note(_tree, 3)).Status);
        Assert.Null(_latest);
    }

    [Fact]
    public void a_cosignature_verifies_with_the_witness_key_only_over_the_checkpoint_it_signed()
    {
        using var witness = Cosigner.Generate("witness.test/w1");
        var text = WitnessDecision.Text(Note(_tree, 8));
        var line = Cosignature.Sign(text, witness, Now);

        var key = CosignerKey.Parse(witness.Key.VerifierKey);
        Assert.Equal(Now, Cosignature.Verify(text, line, key).Time);
        Assert.False(Cosignature.Verify(WitnessDecision.Text(Note(_tree, 9)), line, key).IsValid);
        using var impostor = Cosigner.Generate("witness.test/w1");
        Assert.False(Cosignature.Verify(text, line, impostor.Key).IsValid);
        // The key id is of type 0x04: a witness key is never read as a log key.
        Assert.Throws<FormatException>(() => NoteVerifier.Parse(witness.Key.VerifierKey));
        Assert.Equal(witness.Key.VerifierKey, Cosigner.Parse(witness.ExportSignerKey()).Key.VerifierKey);
    }
}
