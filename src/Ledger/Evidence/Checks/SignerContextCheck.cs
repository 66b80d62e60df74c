using AssetLedger.Domain.Common;
using AssetLedger.Ledger.Evidence.Parsing;
using AssetLedger.Ledger.Rules;

namespace AssetLedger.Ledger.Evidence.Checks;

/// <summary>
/// Each asset event's metadata commits to its actor's participant stream (version and hash) at decision time; the
/// bundle must carry that stream up to the version, with that hash, so a key registration left out of
/// participants.jsonl is seen; and an actor whose stream then held a signing key must have signed. From the first event
/// that carries the commitment on (format 3), every later asset event by a participant must carry it too.
/// </summary>
static class SignerContextCheck
{
    public static VerificationCheck Run(ParsedBundle bundle, VerifierOptions options)
    {
        var failures = new List<string>();
        var participants = RulesCheck.Histories(bundle, []);
        int committed = 0, older = 0;
        long? cutover = null;
        foreach (var e in bundle.Main.Concat(bundle.ParticipantEvents).Where(e => e.IsAsset).GroupBy(e => e.Position).Select(g => g.First()).OrderBy(e => e.Position))
        {
            var context = SignerContext.Of(e.Metadata);
            if (!context.Readable || context.Participant is null || context.Participant == ParticipantId.System.Value) continue;
            if (context.ParticipantVersion is null)
            {
                if (cutover is { } first && bundle.Manifest.FormatVersion >= 3)
                    failures.Add($"{e.Where}: its metadata does not commit to {context.Participant}'s stream, though the events from position {first} on do: an event written outside the command path");
                else older++;
                continue;
            }
            cutover ??= e.Position;
            if (!participants.TryGetValue(context.Participant, out var history))
            {
                failures.Add($"{e.Where}: its metadata commits to {context.Participant} v{context.ParticipantVersion}, but {BundleFormat.Participants} does not hold that participant's stream");
                continue;
            }
            if (SignerContext.Problem(context, history, e.Position) is { } problem) failures.Add($"{e.Where}: {problem}");
            else committed++;
        }
        return VerificationCheck.From("signer context", failures,
            $"{committed} events commit to their actor's stream as {BundleFormat.Participants} holds it"
            + (older > 0 ? $"; {older} events from before the commitment was recorded (checked by position only, under \"signed commands\")" : ""));
    }
}
