using System.Text;
using System.Text.Json.Nodes;

namespace AssetLedger.Api.Tests.Fuzz;

/// <summary>One request of the fuzz: an operation with one hostile value in one place, sent as one caller.</summary>
/// <param name="OwnCaller">The case carries its own Authorization header: send it as it is, never with a real token.</param>
/// <param name="Ignorable">The hostile value is in a header the route does not read (a bearer token on an anonymous route):
/// any answer below 500 is right, a 4xx must still be a problem.</param>
public sealed record FuzzCase(string Operation, string Place, string Value, string Method, byte[] Target, IReadOnlyList<(string Name, byte[] Value)> Headers, byte[]? Body, bool Secured,
    bool OwnCaller = false, bool Ignorable = false)
{
    public override string ToString() => $"{Operation} with {Value} in {Place}";
}

/// <summary>
/// Reads the OpenAPI document and yields, for every operation, one request per (parameter or body member) × hostile
/// value; every other part of the request stays as the document's example has it, so the hostile value is what is judged.
/// </summary>
public static class FuzzCases
{
    const string Marker = "\"__fuzz__\"";

    /// <param name="pathValue">A real value for a path parameter (an asset id, a login, a participant id…).</param>
    public static IEnumerable<FuzzCase> From(JsonNode doc, Func<string, string, string> pathValue)
    {
        var schemas = doc["components"]?["schemas"]?.AsObject();
        var globalSecurity = doc["security"] is JsonArray { Count: > 0 };
        foreach (var (path, item) in doc["paths"]!.AsObject())
        foreach (var (method, opNode) in item!.AsObject())
        {
            var op = opNode!.AsObject();
            var secured = op.ContainsKey("security") ? op["security"] is JsonArray { Count: > 0 } : globalSecurity;
            var name = $"{method.ToUpperInvariant()} {path}";
            var parameters = (op["parameters"] as JsonArray ?? []).Select(p => p!.AsObject()).ToList();
            var bodySchema = Resolve(op["requestBody"]?["content"]?["application/json"]?["schema"], schemas);
            var baseBody = bodySchema is null ? null : (bodySchema["example"] ?? (bodySchema["examples"] as JsonArray)?.FirstOrDefault())?.DeepClone() ?? new JsonObject();

            FuzzCase Make(string place, FuzzValue v, Dictionary<string, string>? url, (string, byte[])? header, byte[]? body) =>
                new(name, place, v.Name, method.ToUpperInvariant(), Target(path, parameters, pathValue, url), header is { } h ? [h] : [], body ?? Serialize(baseBody), secured);

            // Every operation reads the Authorization header: the only input of those that take no parameter and no body.
            foreach (var v in FuzzValue.All.Where(v => v.Header is not null && !v.Numeric))
                yield return Make("header Authorization", v, null, ("Authorization", [.. "Bearer "u8, .. v.Header!]), null) with { OwnCaller = true, Ignorable = !secured };
            foreach (var p in parameters)
            {
                var pname = p["name"]!.GetValue<string>();
                var where = p["in"]!.GetValue<string>();
                var numeric = Resolve(p["schema"], schemas)?["type"]?.ToString() is "integer" or "number";
                foreach (var v in FuzzValue.All)
                {
                    if (v.ArrayOnly || (v.Numeric && !numeric)) continue;
                    if (where == "header")
                    {
                        if (v.Header is { } hv) yield return Make($"header {pname}", v, null, (pname, hv), null);
                    }
                    else if (v.Url is { } uv) yield return Make($"{where} {pname}", v, new() { [pname] = uv }, null, null);
                }
            }
            if (baseBody is null) continue;
            foreach (var v in FuzzValue.All.Where(v => v.Json is not null && !v.Numeric || v.Name == "1e400"))
                yield return Make("the whole body", v, null, null, v.Json);
            foreach (var (member, isArray) in Members(bodySchema!, schemas, []))
            foreach (var v in FuzzValue.All)
            {
                if (v.Json is null || (v.ArrayOnly && !isArray)) continue;
                yield return Make($"body {string.Join('.', member)}", v, null, null, Splice(baseBody, member, v.Json));
            }
        }
    }

    /// <summary>Every member of the body, and the members of objects nested one level down.</summary>
    static IEnumerable<(string[] Path, bool IsArray)> Members(JsonNode schema, JsonObject? schemas, string[] prefix)
    {
        if (schema["properties"] is not JsonObject props) yield break;
        foreach (var (key, propNode) in props)
        {
            var prop = Resolve(propNode, schemas)!;
            string[] path = [.. prefix, key];
            yield return (path, prop["type"]?.ToString() == "array");
            if (prefix.Length == 0 && prop["properties"] is JsonObject)
                foreach (var inner in Members(prop, schemas, path)) yield return inner;
        }
    }

    static JsonNode? Resolve(JsonNode? schema, JsonObject? schemas)
    {
        if (schema?["$ref"]?.GetValue<string>() is { } r) return schemas?[r.Split('/')[^1]];
        if (schema?["allOf"] is JsonArray { Count: 1 } all) return Resolve(all[0], schemas);
        return schema;
    }

    static byte[]? Serialize(JsonNode? body) => body is null ? null : Encoding.UTF8.GetBytes(body.ToJsonString());

    /// <summary>The body with the member at <paramref name="member"/> replaced by the raw bytes of a hostile token.</summary>
    static byte[] Splice(JsonNode baseBody, string[] member, byte[] token)
    {
        var body = baseBody.DeepClone();
        var target = body;
        foreach (var step in member[..^1])
        {
            if (target[step] is not JsonObject) target[step] = new JsonObject();
            target = target[step]!;
        }
        target[member[^1]] = "__fuzz__";
        var text = Encoding.UTF8.GetBytes(body.ToJsonString());
        var at = text.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Marker));
        return [.. text[..at], .. token, .. text[(at + Marker.Length)..]];
    }

    static byte[] Target(string path, List<JsonObject> parameters, Func<string, string, string> pathValue, Dictionary<string, string>? fuzzed)
    {
        var target = new StringBuilder();
        foreach (var segment in path.Split('/').Skip(1))
        {
            target.Append('/');
            if (segment.StartsWith('{'))
            {
                var pname = segment.Trim('{', '}').Split(':')[0];
                target.Append(fuzzed?.GetValueOrDefault(pname) ?? Uri.EscapeDataString(pathValue(path, pname)));
            }
            else target.Append(segment);
        }
        var query = new List<string>();
        foreach (var p in parameters.Where(p => p["in"]!.GetValue<string>() == "query"))
        {
            var pname = p["name"]!.GetValue<string>();
            if (fuzzed?.GetValueOrDefault(pname) is { } v) query.Add($"{pname}={v}");
            else if (p["required"]?.GetValue<bool>() == true) query.Add($"{pname}=1");
        }
        if (query.Count > 0) target.Append('?').AppendJoin('&', query);
        return Encoding.ASCII.GetBytes(target.ToString());
    }
}
