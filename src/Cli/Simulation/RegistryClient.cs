using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace AssetLedger.Cli.Simulation;

/// <summary>The few API calls the simulator makes, as a user of the registry (a warehouse, a regulator or venue).</summary>
public sealed class RegistryClient(HttpClient http, string token, string participant)
{
    public string Participant { get; } = participant;

    public static async Task<RegistryClient> Login(HttpClient http, string login, string password, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync("/api/v1/auth/token", new { login, password }, ct);
        var body = await Body(response, $"logging in as {login}", ct);
        return new RegistryClient(http, body["accessToken"]!.GetValue<string>(), body["participantId"]!.GetValue<string>());
    }

    /// <summary>Active warehouse receipts this warehouse holds (the first page).</summary>
    public async Task<IReadOnlyList<string>> HeldReceipts(CancellationToken ct)
    {
        var page = await Send(HttpMethod.Get, $"/api/v1/assets?warehouseId={Participant}&kind=WarehouseReceipt&status=Active&limit=100", null, ct);
        return [.. page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>())];
    }

    /// <summary>The receipt's quantity (value, unit), what a weighbridge should weigh.</summary>
    public async Task<(decimal Value, string Unit)> Quantity(string asset, CancellationToken ct)
    {
        var a = await Send(HttpMethod.Get, $"/api/v1/assets/{asset}", null, ct);
        return (decimal.Parse(a["quantity"]!["value"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), a["quantity"]!["unit"]!.GetValue<string>());
    }

    public Task<JsonNode> Post(string path, object body, CancellationToken ct) => Send(HttpMethod.Post, path, body, ct);

    async Task<JsonNode> Send(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, ct);
        return await Body(response, $"{method} {path}", ct);
    }

    static async Task<JsonNode> Body(HttpResponseMessage response, string what, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode) throw new SimulationException($"{what}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }
}

public sealed class SimulationException(string message) : Exception(message);
