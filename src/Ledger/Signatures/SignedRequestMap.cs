using System.Globalization;
using System.Text.Json;
using AssetLedger.Domain.Assets;
using AssetLedger.Ledger.Serialization;

namespace AssetLedger.Ledger.Signatures;

/// <summary>
/// Which event a signed asset request produces and what its data must then say (docs/evidence-bundle.md §9, "signature
/// binding"): the path after <c>/api/v1/assets/&lt;id&gt;</c> gives the event type, and each body field the data member it
/// becomes. A body field left out means the data member's default (absent, or for an amendment the value before it).
/// </summary>
public static class SignedRequestMap
{
    enum Compare { Text, Decimal, Name, Trimmed, Generated }

    sealed record Field(string Body, string Data, Compare How = Compare.Text, string? Default = null);

    static readonly Field[] DetailFields =
    [
        new("warehouseId", "details.warehouse"), new("receiptNumber", "details.receiptNumber"), new("commodity", "details.commodity"),
        new("quantity", "details.quantity.value", Compare.Decimal), new("unit", "details.quantity.unit", Compare.Trimmed),
        new("debtorId", "details.debtor"), new("billNumber", "details.billNumber"), new("amount", "details.amount.value", Compare.Decimal),
        new("currency", "details.amount.currency"), new("dueDate", "details.dueDate"), new("title", "details.title"),
        new("contentSha256", "details.contentSha256"), new("mediaType", "details.mediaType"), new("description", "details.description"),
    ];

    static readonly Dictionary<string, (string Type, Field[] Fields)> Routes = new(StringComparer.Ordinal)
    {
        [""] = ("asset-registered", [new("kind", "kind", Compare.Name), new("ownerId", "owner"), .. DetailFields]),
        ["amendments"] = ("asset-amended", DetailFields),
        ["transfer-offer"] = ("asset-transfer-offered", [new("toId", "to")]),
        ["transfer-offer/accept"] = ("asset-transferred", []),
        ["transfer-offer/decline"] = ("asset-transfer-declined", []),
        ["transfer-offer/withdraw"] = ("asset-transfer-withdrawn", []),
        ["transfer-out"] = ("asset-transferred-out", [new("venueId", "venue"), new("purpose", "purpose", Compare.Name)]),
        ["return"] = ("asset-returned", [new("newOwnerId", "owner")]),
        ["freeze"] = ("asset-frozen", [new("reason", "reason"), new("authority", "authority", Compare.Name, "Regulatory"), new("freezeId", "freezeId", Compare.Generated)]),
        ["unfreeze"] = ("asset-unfrozen", [new("freezeId", "freezeId"), new("reason", "reason")]),
        ["cancel"] = ("asset-cancelled", [new("reason", "reason")]),
        ["evidence"] = ("evidence-attached", [new("sha256", "sha256"), new("mediaType", "mediaType"), new("description", "description")]),
    };

    /// <summary>The asset a command path names (32 hex digits), "" for a registration, null when it is not an asset command's path.</summary>
    public static string? AssetOf(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 3 || segments[..3] is not ["api", "v1", "assets"]) return null;
        if (segments.Length == 3) return "";
        return Guid.TryParse(segments[3], out var g) ? g.ToString("N") : null;
    }

    /// <summary>Why the event is not what the signed request produces, or null when it is.</summary>
    public static string? Mismatch(string path, JsonElement? body, string asset, string type, JsonElement data, AssetState? before)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 3 || segments[..3] is not ["api", "v1", "assets"]) return $"the signed request {path} is not an asset command";
        if (segments.Length >= 4 && (!Guid.TryParse(segments[3], out var g) || g.ToString("N") != asset)) return $"the signed request {path} is for another asset than {asset}";
        var route = segments.Length <= 4 ? "" : string.Join('/', segments[4..]);
        string expectedType;
        Field[] fields;
        if (route == "confirmations")
        {
            var approve = Member(body, "approve");
            if (approve?.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) return "the signed confirmation has no approve: true or false";
            expectedType = approve.Value.ValueKind == JsonValueKind.True ? "asset-confirmed" : "asset-rejected";
            fields = [new("comment", "comment")];
        }
        else if (route == "releases")
        {
            // The warehouse's release of a receipt that is out is a request the venue answers; otherwise the goods leave.
            expectedType = type == "asset-release-requested" ? type : "asset-goods-released";
            var quantity = type == "asset-release-requested" ? "quantity" : "released";
            fields = [new("deliveryOrder", "deliveryOrder"), new("quantity", $"{quantity}.value", Compare.Decimal), new("unit", $"{quantity}.unit", Compare.Generated)];
        }
        else if (route == "splits")
        {
            if (type != "asset-split") return $"the signed request POST {path} produces asset-split, but the event is {type}";
            return SplitMismatch(body, data);
        }
        else if (route == "releases/answer")
        {
            var consent = Member(body, "consent");
            if (consent?.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) return "the signed answer has no consent: true or false";
            expectedType = consent.Value.ValueKind == JsonValueKind.True ? "asset-goods-released" : "asset-release-declined";
            fields = consent.Value.ValueKind == JsonValueKind.True ? [] : [new("comment", "comment")];
        }
        else if (segments.Length == 4 || !Routes.TryGetValue(route, out var r)) return $"the signed request {path} is not an asset command";
        else (expectedType, fields) = r;
        if (expectedType != type) return $"the signed request POST {path} produces {expectedType}, but the event is {type}";

        var previous = route == "amendments" ? JsonSerializer.SerializeToElement(before?.Details ?? new AssetDetails(), EventSerializer.Options) : (JsonElement?)null;
        foreach (var f in fields)
        {
            var sent = Member(body, f.Body);
            string? expected = sent is { ValueKind: not JsonValueKind.Null } v ? Text(v)
                : previous is { } p ? Text(At(p, f.Data["details.".Length..]))
                : f.Default;
            if (f.How == Compare.Generated && expected is null) continue;
            if (route == "return" && expected is null) expected = Text(At(data, "previousOwner"));
            var actual = Text(At(data, f.Data));
            if (!Same(expected, actual, f.How))
                return $"the signed body says {f.Body} {Show(expected)}, but the event's {f.Data} is {Show(actual)}";
        }
        if (type == "evidence-attached" && Text(At(data, "source")) != "api") return "evidence signed over the API must have source \"api\"";
        return null;
    }

    /// <summary>
    /// Whether the event is a part's first event split off by the signed split of its parent at <paramref name="path"/>: the
    /// one signed request writes the parent's split and each part's first event, all with its signature.
    /// </summary>
    public static bool SplitOffBy(string path, string type, long version, JsonElement data) =>
        type == "asset-split-off" && version == 1 && path.Split('/', StringSplitOptions.RemoveEmptyEntries) is ["api", "v1", "assets", var parent, "splits"]
        && Guid.TryParse(parent, out var signed) && Guid.TryParse(Text(At(data, "parent")), out var recorded) && signed == recorded;

    /// <summary>A split's parts as signed (each quantity, and the receipt number where one was given) against the split's parts.</summary>
    static string? SplitMismatch(JsonElement? body, JsonElement data)
    {
        if (Member(body, "parts") is not { ValueKind: JsonValueKind.Array } sent) return "the signed split has no parts";
        var parts = At(data, "parts");
        if (parts is not { ValueKind: JsonValueKind.Array } made || made.GetArrayLength() != sent.GetArrayLength())
            return $"the signed split has {sent.GetArrayLength()} parts, but the event's parts are {Show(parts is { } p ? Text(p) : null)}";
        for (var i = 0; i < sent.GetArrayLength(); i++)
        {
            var (s, m) = (sent[i], made[i]);
            var quantity = Member(s, "quantity") is { ValueKind: not JsonValueKind.Null } q ? Text(q) : null;
            if (!Same(quantity, Text(At(m, "quantity.value")), Compare.Decimal))
                return $"the signed body says part {i + 1} is {Show(quantity)}, but the event's part {i + 1} is {Show(Text(At(m, "quantity.value")))}";
            if (Member(s, "receiptNumber") is { ValueKind: JsonValueKind.String } number && Text(number) != Text(At(m, "receiptNumber")))
                return $"the signed body names part {i + 1} {Show(Text(number))}, but the event's part {i + 1} is {Show(Text(At(m, "receiptNumber")))}";
        }
        return null;
    }

    static bool Same(string? expected, string? actual, Compare how) => how switch
    {
        _ when expected is null || actual is null => expected is null && actual is null,
        Compare.Decimal => decimal.TryParse(expected, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var a)
                           && decimal.TryParse(actual, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var b) && a == b,
        Compare.Name => string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase),
        Compare.Trimmed => expected.Trim() == actual,
        _ => expected == actual,
    };

    /// <summary>A body member by name, matched without regard to case as the API binds it.</summary>
    static JsonElement? Member(JsonElement? body, string name)
    {
        if (body is not { ValueKind: JsonValueKind.Object } b) return null;
        foreach (var p in b.EnumerateObject())
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) return p.Value;
        return null;
    }

    static JsonElement? At(JsonElement? root, string path)
    {
        var current = root;
        foreach (var part in path.Split('.'))
            current = current is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(part, out var next) ? next : null;
        return current;
    }

    static string? Text(JsonElement? v) => v switch
    {
        null => null,
        { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { } other => other.GetRawText(),
    };

    static string Show(string? v) => v is null ? "(none)" : $"\"{v}\"";
}
