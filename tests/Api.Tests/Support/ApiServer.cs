using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AssetLedger.Api.Tests.Support;

/// <summary>
/// The real API on Kestrel (loopback, a free port) over a fresh database on the PostgreSQL that scripts/test.sh
/// starts (ASSETLEDGER_TEST_PG). One per test class.
/// </summary>
public sealed class ApiServer : IAsyncLifetime
{
    sealed class Factory(string connectionString) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("ConnectionStrings:AssetLedger", connectionString);
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
        }
    }

    Factory _factory = null!;
    string _database = "";
    public string ConnectionString { get; private set; } = "";
    public Uri BaseAddress { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;

    static string Server => Environment.GetEnvironmentVariable("ASSETLEDGER_TEST_PG")
        ?? throw new InvalidOperationException("ASSETLEDGER_TEST_PG is not set: run the tests through scripts/test.sh, which starts a PostgreSQL cluster for them.");

    public async Task InitializeAsync()
    {
        _database = "api_" + Guid.NewGuid().ToString("N")[..16];
        await using (var admin = new NpgsqlConnection(Server))
        {
            await admin.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {_database}", admin);
            await cmd.ExecuteNonQueryAsync();
        }
        ConnectionString = new NpgsqlConnectionStringBuilder(Server) { Database = _database }.ConnectionString;
        _factory = new Factory(ConnectionString);
        _factory.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.First());
        Http = new HttpClient { BaseAddress = BaseAddress };
    }

    public T Service<T>() where T : notnull => _factory.Services.GetRequiredService<T>();

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await _factory.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(Server);
        await admin.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", admin);
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task<long> Scalar(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    public async Task<Reply> Post(string path, string? participant, object? body, params (string Name, string Value)[] headers) =>
        await Send(HttpMethod.Post, path, participant, body is string s ? s : body is null ? null : JsonSerializer.Serialize(body, Json), headers);

    public Task<Reply> Get(string path, string? participant, params (string Name, string Value)[] headers) => Send(HttpMethod.Get, path, participant, null, headers);

    public async Task<Reply> Send(HttpMethod method, string path, string? participant, string? json, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path);
        if (participant is not null) request.Headers.Add("X-Participant-Id", participant);
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        if (json is not null) request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new Reply(response.StatusCode, text, response.Headers.ETag?.Tag, response.Headers.Location?.ToString(),
            response.Headers.TryGetValues("Idempotent-Replayed", out var r) && r.Contains("true"), response.Content.Headers.ContentType?.MediaType);
    }

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Registers participants as the operator; ignores ones that exist.</summary>
    public async Task Participants(params (string Id, string Role)[] participants)
    {
        foreach (var (id, role) in participants)
        {
            var r = await Post("/api/v1/participants", "operator", new { id, name = $"{id} Co., Ltd.", roles = new[] { role } });
            if (r.Status is not (HttpStatusCode.Created or HttpStatusCode.Conflict)) throw new InvalidOperationException($"registering {id}: {r}");
        }
    }
}

public sealed record Reply(HttpStatusCode Status, string Body, string? ETag, string? Location, bool Replayed, string? ContentType)
{
    public JsonNode Json => JsonNode.Parse(Body)!;
    public string? Code => ContentType == "application/problem+json" ? Json["code"]?.GetValue<string>() : null;
    public override string ToString() => $"{(int)Status} {Body}";
}
