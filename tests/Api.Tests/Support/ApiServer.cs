using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AssetLedger.Api.Tests.Support;

/// <summary>
/// The real API on Kestrel (loopback, a free port) over a fresh database on the PostgreSQL that scripts/test.sh
/// starts (ASSETLEDGER_TEST_PG). One per test class.
/// </summary>
public sealed class ApiServer : IAsyncLifetime
{
    public const string OperatorPassword = "operator-test-password";
    public const string UserPassword = "user-test-password";

    sealed class Factory(string connectionString, string keyDirectory, IReadOnlyDictionary<string, string> settings, Action<IServiceCollection>? services) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("ConnectionStrings:AssetLedger", connectionString);
            builder.UseSetting("AssetLedger:OperatorPassword", OperatorPassword);
            builder.UseSetting("AssetLedger:KeyDirectory", keyDirectory);
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            // The suite starts hundreds of instances: the certificate warm-up runs only where a test asks for it.
            builder.UseSetting("AssetLedger:EvidenceWarmUpRounds", "0");
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
            if (services is not null) builder.ConfigureTestServices(services);
        }
    }

    /// <summary>Further configuration, e.g. an anchor target under AssetLedger:Chains:Evm (set before InitializeAsync).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>PostgreSQL session options for the service's own connections (e.g. <c>-c lock_timeout=60000</c>), which win over its defaults.</summary>
    public string? SessionOptions { get; init; }

    /// <summary>Replaces or wraps services after the API registered its own (set before InitializeAsync).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }

    /// <summary>Set on a second instance: the server whose database and keys it shares.</summary>
    ApiServer? _primary;

    /// <summary>A second API process on the same database and keys, as behind a load balancer (with its own settings if given); dispose it before this one.</summary>
    public async Task<ApiServer> SecondInstance(IReadOnlyDictionary<string, string>? settings = null)
    {
        var second = new ApiServer { Settings = settings ?? Settings, ConfigureServices = ConfigureServices, _primary = this, KeyDirectory = KeyDirectory, Server = Server };
        await second.InitializeAsync();
        return second;
    }

    /// <summary>Where the ledger and anchor keys are (created on first start); another server given the same directory signs with the same keys.</summary>
    public string KeyDirectory { get => _keyDirectory ?? _ownKeyDirectory; init => _keyDirectory = value; }
    string? _keyDirectory;
    // Removed at the end only when it is this server's own: a directory given to it belongs to another server (or a restore).
    readonly string _ownKeyDirectory = Path.Combine(Path.GetTempPath(), "assetledger-test-keys-" + Guid.NewGuid().ToString("N"));
    readonly Dictionary<string, string> _tokens = new();
    readonly SemaphoreSlim _tokenLock = new(1, 1);

    /// <summary>The login the fixture uses for a participant's user (the operator's own user is "operator").</summary>
    public static string LoginOf(string participant) => participant == "operator" ? "operator" : $"{participant}.fixture";

    /// <summary>An access token for a user of the participant; creates that user through the operator on first use.</summary>
    public async Task<string> Token(string participant)
    {
        var operatorToken = participant == "operator" ? null : await Token("operator");
        await _tokenLock.WaitAsync();
        try
        {
            if (_tokens.TryGetValue(participant, out var cached)) return cached;
            if (operatorToken is not null)
            {
                var create = await SendRaw(HttpMethod.Post, "/api/v1/users", operatorToken,
                    JsonSerializer.Serialize(new { login = LoginOf(participant), participantId = participant, displayName = participant, password = UserPassword }, Json));
                if (create.Status is not (HttpStatusCode.Created or HttpStatusCode.Conflict)) throw new InvalidOperationException($"creating a user for {participant}: {create}");
            }
            var login = await Login(LoginOf(participant), participant == "operator" ? OperatorPassword : UserPassword);
            if (login.Status != HttpStatusCode.OK) throw new InvalidOperationException($"logging in as {participant}: {login}");
            return _tokens[participant] = login.Json["accessToken"]!.GetValue<string>();
        }
        finally { _tokenLock.Release(); }
    }

    public Task<Reply> Login(string login, string password) =>
        SendRaw(HttpMethod.Post, "/api/v1/auth/token", null, JsonSerializer.Serialize(new { login, password }, Json));

    /// <summary>Forget a cached token, for a new login (a role revocation or a suspension ends the participant's sessions).</summary>
    public void ForgetToken(string participant) => _tokens.Remove(participant);

    Factory _factory = null!;
    string _database = "";
    public string ConnectionString { get; private set; } = "";
    public Uri BaseAddress { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;

    /// <summary>The PostgreSQL server to create the database on: scripts/test.sh's, or a cluster of the test's own (set before InitializeAsync).</summary>
    public string Server { get; init; } = Environment.GetEnvironmentVariable("ASSETLEDGER_TEST_PG")
        ?? throw new InvalidOperationException("ASSETLEDGER_TEST_PG is not set: run the tests through scripts/test.sh, which starts a PostgreSQL cluster for them.");

    /// <summary>An existing database on <see cref="Server"/> to serve (a restored one) instead of a fresh one; dropped at the end all the same.</summary>
    public string? Database { get; init; }

    public async Task InitializeAsync()
    {
        if (_primary is not null) ConnectionString = _primary.ConnectionString;
        else if (Database is not null) ConnectionString = new NpgsqlConnectionStringBuilder(Server) { Database = _database = Database }.ConnectionString;
        else
        {
            _database = "api_" + Guid.NewGuid().ToString("N")[..16];
            await using (var admin = new NpgsqlConnection(Server))
            {
                await admin.OpenAsync();
                await using var cmd = new NpgsqlCommand($"CREATE DATABASE {_database}", admin);
                await cmd.ExecuteNonQueryAsync();
            }
            ConnectionString = new NpgsqlConnectionStringBuilder(Server) { Database = _database }.ConnectionString;
        }
        var serviceConnection = SessionOptions is null ? ConnectionString
            : new NpgsqlConnectionStringBuilder(ConnectionString) { Options = SessionOptions }.ConnectionString;
        _factory = new Factory(serviceConnection, KeyDirectory, Settings, ConfigureServices);
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
        if (_primary is not null) return;
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(Server);
        await admin.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", admin);
        await cmd.ExecuteNonQueryAsync();
        if (_keyDirectory is null) try { Directory.Delete(_ownKeyDirectory, true); } catch (IOException) { }
    }

    public async Task<long> Scalar(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    public async Task<string> Text(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return Convert.ToString(await cmd.ExecuteScalarAsync()) ?? "";
    }

    /// <summary>Waits until the read models have caught up with the log (projection lag 0 on /health/ready), at most 10 s.</summary>
    public async Task ProjectionsCaughtUp()
    {
        for (var i = 0; i < 200; i++)
        {
            if ((await Get("/health/ready", null)).Json["projectionLag"]!.GetValue<long>() == 0) return;
            await Task.Delay(50);
        }
        throw new TimeoutException("projections did not catch up in 10 s");
    }

    public async Task<Reply> Post(string path, string? participant, object? body, params (string Name, string Value)[] headers) =>
        await Send(HttpMethod.Post, path, participant, body is string s ? s : body is null ? null : JsonSerializer.Serialize(body, Json), headers);

    public Task<Reply> Get(string path, string? participant, params (string Name, string Value)[] headers) => Send(HttpMethod.Get, path, participant, null, headers);

    public async Task<Reply> Send(HttpMethod method, string path, string? participant, string? json, params (string Name, string Value)[] headers) =>
        await SendRaw(method, path, participant is null ? null : await Token(participant), json, headers);

    /// <summary>
    /// Logs in from another client address: the connection's local end is bound to <paramref name="from"/> (any of
    /// 127.0.0.0/8 reaches the loopback listener), so the API sees that remote address without trusting any header.
    /// </summary>
    public Task<Reply> LoginFrom(IPAddress from, string login, string password) =>
        SendFrom(from, HttpMethod.Post, "/api/v1/auth/token", null, JsonSerializer.Serialize(new { login, password }, Json));

    /// <summary>Any request from another client address (see <see cref="LoginFrom"/>).</summary>
    public async Task<Reply> SendFrom(IPAddress from, HttpMethod method, string path, string? token, string? json)
    {
        using var client = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(from, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch { socket.Dispose(); throw; }
            },
        }) { BaseAddress = BaseAddress };
        return await SendVia(client, method, path, token, json, []);
    }

    /// <summary>Sends with a given bearer token (or none).</summary>
    public Task<Reply> SendRaw(HttpMethod method, string path, string? token, string? json, params (string Name, string Value)[] headers) =>
        SendVia(Http, method, path, token, json, headers);

    static async Task<Reply> SendVia(HttpClient http, HttpMethod method, string path, string? token, string? json, (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        if (json is not null) request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new Reply(response.StatusCode, text, response.Headers.ETag?.Tag, response.Headers.Location?.ToString(),
            response.Headers.TryGetValues("Idempotent-Replayed", out var r) && r.Contains("true"), response.Content.Headers.ContentType?.MediaType,
            response.Headers.RetryAfter?.Delta);
    }

    /// <summary>A GET whose answer is binary (an evidence bundle's ZIP), as the participant (or anonymous, null) asks it.</summary>
    public async Task<Download> Download(string path, string? participant)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (participant is not null) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await Token(participant));
        using var response = await Http.SendAsync(request);
        return new Download(response.StatusCode, await response.Content.ReadAsByteArrayAsync(), response.Content.Headers.ContentType?.MediaType,
            response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName,
            response.Headers.RetryAfter?.Delta);
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

public sealed record Download(HttpStatusCode Status, byte[] Bytes, string? ContentType, string? FileName, TimeSpan? RetryAfter)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Bytes);
    public string? Code => ContentType == "application/problem+json" ? JsonNode.Parse(Text)?["code"]?.GetValue<string>() : null;
    public override string ToString() => $"{(int)Status} {(ContentType == "application/zip" ? $"ZIP of {Bytes.Length} bytes" : Text)}";
}

public sealed record Reply(HttpStatusCode Status, string Body, string? ETag, string? Location, bool Replayed, string? ContentType, TimeSpan? RetryAfter = null)
{
    public JsonNode Json => JsonNode.Parse(Body)!;
    public string? Code => ContentType == "application/problem+json" ? Json["code"]?.GetValue<string>() : null;
    public override string ToString() => $"{(int)Status} {Body}";
}
