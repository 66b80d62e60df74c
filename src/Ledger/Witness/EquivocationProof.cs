using System.Text.Json.Nodes;
using AssetLedger.Ledger.Merkle;
using AssetLedger.Ledger.Notes;

namespace AssetLedger.Ledger.Witness;

/// <summary>
/// An equivocation as a court receives it (JSON): both signed checkpoints and the proof the log offered, and a check that
/// anyone holding the log's public key can run: both notes verify under it, and either they give two roots for one size,
/// or the offered proof does not show the larger extends the smaller (the log is then asked for one; an honest log has it).
/// </summary>
public static class EquivocationProof
{
    public static string ToJson(Equivocation e) => new JsonObject
    {
        ["type"] = "assetledger-equivocation/v1",
        ["origin"] = e.Origin,
        ["reason"] = e.Reason,
        ["seenAt"] = e.SeenAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
        ["cosigned"] = e.Cosigned.Note,
        ["conflicting"] = e.Conflicting.Note,
        ["oldSize"] = e.OldSize,
        ["proof"] = new JsonArray([.. e.Proof.Select(p => (JsonNode)Convert.ToBase64String(p))]),
    }.ToJsonString();

    public static Equivocation FromJson(string json)
    {
        var o = JsonNode.Parse(json)!.AsObject();
        return new Equivocation(o["origin"]!.GetValue<string>(), o["reason"]!.GetValue<string>(),
            WitnessDecision.ReadCheckpoint(o["cosigned"]!.GetValue<string>()), WitnessDecision.ReadCheckpoint(o["conflicting"]!.GetValue<string>()),
            o["oldSize"]!.GetValue<long>(), o["proof"]!.AsArray().Select(p => Convert.FromBase64String(p!.GetValue<string>())).ToList(),
            DateTimeOffset.Parse(o["seenAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Null if the proof shows the log equivocated; otherwise why it does not.</summary>
    public static string? Check(Equivocation e, NoteVerifier logKey)
    {
        foreach (var (what, c) in new[] { ("cosigned", e.Cosigned), ("conflicting", e.Conflicting) })
        {
            var opened = SignedNote.Open(c.Note, logKey);
            if (!opened.IsValid) return $"the {what} checkpoint is not signed by {logKey.VerifierKey}: {opened.Message}";
            if (c.Origin != e.Origin) return $"the {what} checkpoint is of another log ({c.Origin})";
        }
        var (a, b) = e.Cosigned.Size <= e.Conflicting.Size ? (e.Cosigned, e.Conflicting) : (e.Conflicting, e.Cosigned);
        if (a.Size == b.Size) return a.Root.AsSpan().SequenceEqual(b.Root) ? "the two checkpoints agree" : null;
        return MerkleVerifier.VerifyConsistency(a.Size, b.Size, a.Root, b.Root, e.Proof).IsValid ? "the offered proof shows the two checkpoints are consistent" : null;
    }

}
