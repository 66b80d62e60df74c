using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Json.Schema;

namespace AssetLedger.Api.Tests.Support;

/// <summary>
/// Validates the files of a real evidence bundle against docs/schemas/ with JsonSchema.Net, an implementation that
/// shares no code with the exporter: every line, every event's data by its type, the metadata, the state.
/// </summary>
public static class BundleSchemaValidator
{
    static readonly string Directory = Path.Combine(RepoRoot(), "docs", "schemas");
    static readonly ConcurrentDictionary<string, JsonSchema> Schemas = new(StringComparer.Ordinal);

    /// <summary>Each problem names the file, the line and the schema; empty if every file matches.</summary>
    public static List<string> Problems(IReadOnlyDictionary<string, byte[]> files)
    {
        var problems = new List<string>();
        Check(problems, "manifest.json", "manifest.json", Text(files, "manifest.json"));
        Check(problems, "anchors.json", "anchors.json", Text(files, "anchors.json"));
        Check(problems, "state.json", "state.json", Text(files, "state.json"));
        foreach (var (file, schema) in new[] { ("proofs.jsonl", "proof-line.json"), ("consistency.jsonl", "consistency-line.json"), ("cosignatures.jsonl", "cosignature-line.json") })
            foreach (var (line, n) in Lines(files, file)) Check(problems, $"{file} line {n}", schema, line);
        foreach (var file in new[] { "events.jsonl", "participants.jsonl", "devices.jsonl" })
            foreach (var (line, n) in Lines(files, file))
            {
                Check(problems, $"{file} line {n}", "event-line.json", line);
                using var doc = JsonDocument.Parse(line);
                var envelope = doc.RootElement.GetProperty("envelope");
                var type = envelope.GetProperty("type").GetString()!;
                if (!File.Exists(Path.Combine(Directory, "events", $"{type}.json"))) { problems.Add($"{file} line {n}: event type {type} has no schema in docs/schemas/events/"); continue; }
                Check(problems, $"{file} line {n} ({type}) data", $"events/{type}.json", envelope.GetProperty("data").GetRawText());
                Check(problems, $"{file} line {n} ({type}) metadata", "metadata.json", envelope.GetProperty("metadata").GetRawText());
            }
        return problems;
    }

    /// <summary>
    /// A webhook message against docs/schemas/webhook-cloudevent.json and, for an asset event, its data against the
    /// event's own schema; empty if both match.
    /// </summary>
    public static List<string> WebhookProblems(string where, string body)
    {
        var problems = new List<string>();
        Check(problems, where, "webhook-cloudevent.json", body);
        using var doc = JsonDocument.Parse(body);
        var type = doc.RootElement.GetProperty("type").GetString()!;
        const string assetPrefix = "cn.assetledger.asset.";
        if (type.StartsWith(assetPrefix, StringComparison.Ordinal))
            Check(problems, $"{where} ({type}) data", $"events/asset-{type[assetPrefix.Length..]}.json", doc.RootElement.GetProperty("data").GetRawText());
        return problems;
    }

    /// <summary>Event types seen in the bundle's event files (to show which the test covered).</summary>
    public static IEnumerable<string> EventTypes(IReadOnlyDictionary<string, byte[]> files) =>
        new[] { "events.jsonl", "participants.jsonl", "devices.jsonl" }.SelectMany(f => Lines(files, f))
            .Select(l => JsonDocument.Parse(l.Line).RootElement.GetProperty("envelope").GetProperty("type").GetString()!);

    static void Check(List<string> problems, string where, string schemaPath, string json)
    {
        var schema = Schemas.GetOrAdd(schemaPath, p => JsonSchema.FromText(File.ReadAllText(Path.Combine(Directory, p)), new BuildOptions { SchemaRegistry = new SchemaRegistry() }));
        using var doc = JsonDocument.Parse(json);
        var result = schema.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid) return;
        var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).Take(5);
        problems.Add($"{where} does not match docs/schemas/{schemaPath}: {string.Join("; ", errors)}");
    }

    static string Text(IReadOnlyDictionary<string, byte[]> files, string path) => Encoding.UTF8.GetString(files[path]);

    static IEnumerable<(string Line, int Number)> Lines(IReadOnlyDictionary<string, byte[]> files, string path) =>
        files.TryGetValue(path, out var bytes)
            ? Encoding.UTF8.GetString(bytes).Split('\n').Select((l, i) => (l, i + 1)).Where(x => x.l.Length > 0)
            : [];

    internal static string RepoRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "AssetLedger.sln"))) dir = Path.GetDirectoryName(dir);
        return dir ?? throw new InvalidOperationException("AssetLedger.sln not found above the test binaries.");
    }
}
