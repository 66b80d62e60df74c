using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AssetLedger.Application.Diagnostics;

/// <summary>
/// Where a command's time goes, stage by stage, as an OpenTelemetry span (source <see cref="Name"/>) and a histogram
/// (<c>assetledger.stage.duration</c>, seconds, tag <c>stage</c>) of the same meter name. Both are the runtime's own
/// <see cref="ActivitySource"/> and <see cref="Meter"/>: with nothing listening (no exporter configured, no
/// dotnet-counters attached) a stage costs two timestamp reads and two "anyone listening?" checks, no allocation.
/// </summary>
public static class Stages
{
    public const string Name = "AssetLedger";
    public const string DurationInstrument = "assetledger.stage.duration";
    public const string TimeInstrument = "assetledger.stage.time";
    public const string CountInstrument = "assetledger.stage.count";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(DurationInstrument, "s",
        "Time spent in one stage of a request or a worker round (tag stage)");
    // The same stages summed: a rate in dotnet-counters (seconds per second, entries per second), so that time per request
    // of each stage is the rate over the request rate (scripts/lib/bench-profile.sh), which percentiles cannot give.
    static readonly Counter<double> Time = Meter.CreateCounter<double>(TimeInstrument, "s",
        "Time spent in one stage of a request or a worker round, summed (tag stage)");
    static readonly Counter<long> Count = Meter.CreateCounter<long>(CountInstrument, "{stage}",
        "Times a stage of a request or a worker round ran (tag stage)");
    static readonly Histogram<long> BatchSize = Meter.CreateHistogram<long>("assetledger.eventstore.batch_appends", "{append}",
        "Appends committed together by one group commit of the event store");

    // The stage names, one per row of the table in README's "Seeing where a command's time goes".
    public const string Admission = "http.admission";
    public const string Session = "auth.session";
    public const string IdempotencyReserve = "idempotency.reserve";
    public const string IdempotencyAnswer = "idempotency.answer";
    public const string Prepare = "command.prepare";
    public const string Load = "command.load";
    public const string Decide = "command.decide";
    public const string Append = "command.append";
    public const string GroupCommit = "eventstore.group_commit";
    public const string Projections = "projections.batch";
    /// <summary>GET /assets/{id}: reading and folding the asset's stream.</summary>
    public const string ReadAsset = "read.asset";
    /// <summary>GET /trace/assets/{id}: the timeline's snapshot (read models, participants, proofs) and its assembly.</summary>
    public const string ReadTrace = "read.trace";
    /// <summary>Writing one access-audit row, until committed.</summary>
    public const string AuditWrite = "audit.write";
    /// <summary>Prefix of the ledger worker's steps: "ledger.append leaves", "ledger.cut a checkpoint", "ledger.anchor checkpoints".</summary>
    public const string Ledger = "ledger.";
    /// <summary>A search certificate's search (the read models, one snapshot) and its wait for an anchored checkpoint.</summary>
    public const string CertificateSearch = "certificate.search";
    public const string CertificateAnchored = "certificate.anchored";
    /// <summary>An evidence bundle's steps, in the order the exporter takes them.</summary>
    public const string EvidenceEvents = "evidence.events";
    public const string EvidenceParticipants = "evidence.participants";
    public const string EvidenceProofs = "evidence.proofs";
    public const string EvidenceCheckpoints = "evidence.checkpoints";
    public const string EvidenceReport = "evidence.report";
    public const string EvidenceManifest = "evidence.manifest";

    /// <summary>The registrations search's query (one snapshot of the read models).</summary>
    public const string RegistrationsSearch = "registrations.search";

    /// <summary>Starts a stage; dispose it when the stage ends.</summary>
    public static Stage Start(string stage) => new(stage, Source.StartActivity(stage), Stopwatch.GetTimestamp());

    static readonly AsyncLocal<List<(string Stage, double Milliseconds)>?> Collected = new();
    const int MaxCollected = 64;

    /// <summary>
    /// From now on in this request's flow, every stage that ends is also written down (for the slow-request log): the list
    /// returned. Costs nothing where nobody collects.
    /// </summary>
    public static List<(string Stage, double Milliseconds)> Collect() => Collected.Value = [];

    /// <summary>How many appends one group commit carried.</summary>
    public static void Batch(int appends) => BatchSize.Record(appends);

    public readonly struct Stage(string name, Activity? activity, long started) : IDisposable
    {
        public void Dispose()
        {
            if (Duration.Enabled || Time.Enabled || Count.Enabled)
            {
                var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                var tag = new KeyValuePair<string, object?>("stage", name);
                Duration.Record(seconds, tag);
                Time.Add(seconds, tag);
                Count.Add(1, tag);
            }
            if (Collected.Value is { } collected)
                // Bounded: a loop started from within a request (a lazily started worker) keeps its flow's list.
                lock (collected) if (collected.Count < MaxCollected) collected.Add((name, Stopwatch.GetElapsedTime(started).TotalMilliseconds));
            activity?.Dispose();
        }
    }
}
