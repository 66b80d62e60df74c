using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using AssetLedger.Ledger.Serialization;

namespace AssetLedger.Ledger.Tests.Format;

/// <summary>
/// The JSON Schemas of docs/schemas/ that follow from the Domain's types: each event's <c>data</c> and the asset state
/// of state.json. The committed files are the specification; this derives them again from the serializer so that a
/// new event type or a new member cannot go undocumented (run the tests with UPDATE_SCHEMAS=1 to rewrite them).
/// </summary>
public static class BundleSchemas
{
    public const string BaseUri = "https://schemas.assetledger.local/bundle/";

    /// <summary>Times inside hashed data, as the serializer writes a UTC DateTimeOffset (fraction without trailing zeros).</summary>
    public const string DataTimePattern = @"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{0,6}[1-9])?\+00:00$";

    public static string RepoRoot { get; } = FindRoot();

    public static string Directory => Path.Combine(RepoRoot, "docs", "schemas");

    public static bool Update => Environment.GetEnvironmentVariable("UPDATE_SCHEMAS") == "1";

    /// <summary>Every event type the serializer knows, by stored name.</summary>
    public static IReadOnlyDictionary<string, Type> EventTypes { get; } =
        new[] { AssetEventTypes.All, Domain.Participants.ParticipantEventTypes.All, Domain.Users.UserEventTypes.All, Domain.Chains.ChainEventTypes.All, Domain.Registrations.RegistrationEventTypes.All, Domain.Devices.DeviceEventTypes.All, Domain.Devices.Alarms.AlarmRuleEventTypes.All }
            .SelectMany(t => t).ToDictionary(t => t.GetCustomAttribute<StoredEventAttribute>()!.Name, t => t, StringComparer.Ordinal);

    public static string EventSchema(string name, Type type)
    {
        var schema = Generate(type);
        var stored = type.GetCustomAttribute<StoredEventAttribute>()!;
        return Document($"events/{name}.json", $"{name} (schema version {stored.SchemaVersion})",
            $"The data of an event of type {name}: the canonical JSON (RFC 8785) of the Domain's {type.Name}, as hashed in the envelope. Members that may be absent are left out rather than null.", schema);
    }

    public static string StateSchema() => Document("state.json", "state.json",
        "Each asset stream id whose history begins in events.jsonl, mapped to the asset's state after its last event in the bundle (AssetState folded as the fold table of docs/evidence-bundle.md §8 says). exists, isFrozen, isOut, isLocked and isClosed are derived and informative.",
        new JsonObject
        {
            ["type"] = "object",
            ["propertyNames"] = new JsonObject { ["pattern"] = "^asset-[0-9a-f]{32}$" },
            ["additionalProperties"] = Generate(typeof(AssetState)),
        });

    public static string MetadataSchema() => Document("metadata.json", "metadata",
        "An event's metadata (the envelope's metadata member): who caused it and in answer to what. participant is the acting participant; signature, when present, is a string holding the signed command (docs/evidence-bundle.md §4).",
        Generate(typeof(EventMetadata)));

    static string Document(string path, string title, string description, JsonNode schema)
    {
        var doc = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = BaseUri + path,
            ["title"] = title,
            ["description"] = description,
        };
        foreach (var (k, v) in schema.AsObject().ToList())
        {
            schema.AsObject().Remove(k);
            doc[k] = v;
        }
        return doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }).Replace("\r\n", "\n") + "\n";
    }

    static readonly JsonSerializerOptions Options = WithResolver(EventSerializer.CreateOptions());

    static JsonSerializerOptions WithResolver(JsonSerializerOptions o)
    {
        o.TypeInfoResolver = new DefaultJsonTypeInfoResolver();
        o.MakeReadOnly();
        return o;
    }

    static JsonNode Generate(Type type) => Options.GetJsonSchemaAsNode(type, new JsonSchemaExporterOptions
    {
        TreatNullObliviousAsNonNullable = true,
        TransformSchemaNode = Transform,
    });

    static JsonNode Transform(JsonSchemaExporterContext ctx, JsonNode schema)
    {
        var type = Nullable.GetUnderlyingType(ctx.TypeInfo.Type) ?? ctx.TypeInfo.Type;
        if (type == typeof(AssetId)) return new JsonObject { ["type"] = "string", ["pattern"] = "^[0-9a-f]{32}$", ["description"] = "an asset id: 32 lower-case hex digits" };
        if (type == typeof(Domain.Registrations.RegistrationId)) return new JsonObject { ["type"] = "string", ["pattern"] = "^[0-9a-f]{32}$", ["description"] = "a registration id: 32 lower-case hex digits" };
        if (type == typeof(ParticipantId)) return new JsonObject { ["type"] = "string", ["pattern"] = ParticipantId.Pattern, ["description"] = "a participant id" };
        if (type == typeof(DateTimeOffset))
            return new JsonObject { ["type"] = "string", ["pattern"] = DataTimePattern, ["description"] = "a UTC time as the serializer writes it (RFC 3339, offset +00:00, 0–7 fractional digits, no trailing zero)" };
        if (schema is JsonObject d && ctx.TypeInfo.Kind == JsonTypeInfoKind.Dictionary && ctx.TypeInfo.ElementType == typeof(ParticipantId))
            d["additionalProperties"] = new JsonObject { ["type"] = "string", ["pattern"] = ParticipantId.Pattern, ["description"] = "a participant id" };
        if (schema is JsonObject o && o["properties"] is JsonObject properties && ctx.TypeInfo.Kind == JsonTypeInfoKind.Object)
        {
            // A member that is never null is always written; one that may be null is left out (never written as null).
            var required = new JsonArray();
            foreach (var p in ctx.TypeInfo.Properties.Where(p => p.Get is not null))
            {
                var nullable = Nullable.GetUnderlyingType(p.PropertyType) is not null || (!p.PropertyType.IsValueType && p.IsGetNullable);
                if (!nullable) required.Add(p.Name);
                else if (properties[p.Name] is JsonObject member) StripNull(member);
            }
            o.Remove("required");
            if (required.Count > 0) o["required"] = required;
            o["additionalProperties"] = false;
        }
        return schema;
    }

    /// <summary>A member that may be null is absent instead (WhenWritingNull), so null is not one of its values.</summary>
    static void StripNull(JsonObject member)
    {
        if (member["type"] is JsonArray types)
        {
            var kept = types.Where(t => t!.GetValue<string>() != "null").Select(t => t!.GetValue<string>()).ToList();
            member["type"] = kept.Count == 1 ? kept[0] : new JsonArray([.. kept.Select(k => (JsonNode)k)]);
        }
        if (member["enum"] is JsonArray values)
            foreach (var v in values.Where(v => v is null).ToList()) values.Remove(v);
    }

    static string FindRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "AssetLedger.sln"))) dir = Path.GetDirectoryName(dir);
        return dir ?? throw new InvalidOperationException("AssetLedger.sln not found above the test binaries.");
    }
}
