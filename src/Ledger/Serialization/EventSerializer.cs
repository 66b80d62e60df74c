using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;

namespace AssetLedger.Ledger.Serialization;

/// <summary>
/// Maps domain events to their stored names and JSON, and back. Stored names come from
/// <see cref="StoredEventAttribute"/>, never from the CLR type name, so classes can be renamed freely.
/// </summary>
public sealed class EventSerializer
{
    public static readonly EventSerializer Instance = new([.. AssetEventTypes.All, .. AssetLedger.Domain.Participants.ParticipantEventTypes.All, .. AssetLedger.Domain.Users.UserEventTypes.All, .. AssetLedger.Domain.Chains.ChainEventTypes.All, .. AssetLedger.Domain.Registrations.RegistrationEventTypes.All, .. AssetLedger.Domain.Devices.DeviceEventTypes.All, .. AssetLedger.Domain.Devices.Alarms.AlarmRuleEventTypes.All]);

    readonly Dictionary<string, Type> _byName = new();
    readonly Dictionary<Type, (string Name, int Schema)> _byType = new();

    public EventSerializer(IEnumerable<Type> eventTypes)
    {
        foreach (var t in eventTypes)
        {
            var a = t.GetCustomAttribute<StoredEventAttribute>() ?? throw new InvalidOperationException($"{t.Name} has no [StoredEvent].");
            _byName.Add(a.Name, t);
            _byType.Add(t, (a.Name, a.SchemaVersion));
        }
    }

    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static JsonSerializerOptions CreateOptions()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        o.Converters.Add(new JsonStringEnumConverter());
        o.Converters.Add(new AssetIdConverter());
        o.Converters.Add(new ParticipantIdConverter());
        o.Converters.Add(new RegistrationIdConverter());
        return o;
    }

    public (string Type, int SchemaVersion, string Json) Serialize(object @event)
    {
        var (name, schema) = _byType.TryGetValue(@event.GetType(), out var n) ? n
            : throw new InvalidOperationException($"{@event.GetType().Name} is not a registered event.");
        return (name, schema, JsonSerializer.Serialize(@event, @event.GetType(), Options));
    }

    public object Deserialize(string type, string json) =>
        _byName.TryGetValue(type, out var t)
            ? JsonSerializer.Deserialize(json, t, Options) ?? throw new InvalidOperationException($"Event {type} is null.")
            : throw new InvalidOperationException($"Unknown event type '{type}'.");

    public bool Knows(string type) => _byName.ContainsKey(type);
}

sealed class AssetIdConverter : JsonConverter<AssetId>
{
    public override AssetId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        AssetId.TryParse(reader.GetString(), out var id) ? id : throw new JsonException("An asset id is a GUID.");

    public override void Write(Utf8JsonWriter writer, AssetId value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}

sealed class ParticipantIdConverter : JsonConverter<ParticipantId>
{
    public override ParticipantId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(reader.GetString() ?? throw new JsonException("A participant id is a string."));

    public override void Write(Utf8JsonWriter writer, ParticipantId value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}

sealed class RegistrationIdConverter : JsonConverter<AssetLedger.Domain.Registrations.RegistrationId>
{
    public override AssetLedger.Domain.Registrations.RegistrationId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        AssetLedger.Domain.Registrations.RegistrationId.TryParse(reader.GetString(), out var id) ? id : throw new JsonException("A registration id is a GUID.");

    public override void Write(Utf8JsonWriter writer, AssetLedger.Domain.Registrations.RegistrationId value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
