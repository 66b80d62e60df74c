using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AssetLedger.Api.Tests.Fuzz;
using AssetLedger.Api.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;
using static AssetLedger.Api.Tests.Support.AssetScenario;

namespace AssetLedger.Api.Tests;

/// <summary>The API on its own database, counting what it logs at error level (a client's mistake must log none).</summary>
public sealed class FuzzServer : IAsyncLifetime
{
    public ErrorLogCounter Errors { get; } = new();
    public ApiServer Api { get; }
    public FuzzServer() => Api = new ApiServer { ConfigureServices = s => s.AddSingleton<ILoggerProvider>(Errors) };
    public Task InitializeAsync() => Api.InitializeAsync();
    public Task DisposeAsync() => Api.DisposeAsync();
}

public sealed class ErrorLogCounter : ILoggerProvider, ILogger
{
    public ConcurrentQueue<string> Errors { get; } = new();
    public ILogger CreateLogger(string categoryName) => this;
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (logLevel >= LogLevel.Error) Errors.Enqueue($"{formatter(state, exception)} {exception?.GetType().Name}");
    }
    public void Dispose() { }
}

/// <summary>
/// Issue 14's fuzz test, generated at test time from the OpenAPI document the API serves: for every operation and every
/// parameter, body member and bearer token, NUL, a lone surrogate, 100,000 characters, invalid UTF-8, 1e400, negative and huge
/// numbers and a million-entry array, as a real participant allowed to call it and anonymously. Every answer must be a
/// 4xx problem (never a 5xx, never an empty body), nothing may change, and nothing may be logged at error level.
/// </summary>
public sealed class fuzzing_from_the_openapi_document(FuzzServer server, ITestOutputHelper output) : IClassFixture<FuzzServer>
{
    ApiServer Api => server.Api;

    /// <summary>A caller the endpoint would let through, so that the hostile value is what gets judged.</summary>
    static string CallerOf(string path) => path switch
    {
        _ when path.StartsWith("/api/v1/chains", StringComparison.Ordinal) || path.StartsWith("/api/v1/participants", StringComparison.Ordinal)
               || path.StartsWith("/api/v1/users", StringComparison.Ordinal) => "operator",
        _ when path.StartsWith("/api/v1/trace", StringComparison.Ordinal) || path.StartsWith("/api/v1/audit", StringComparison.Ordinal)
               || path is "/api/v1/ledger/integrity" or "/api/v1/evidence/ledger" || path.EndsWith("freeze", StringComparison.Ordinal) => "reg-1",
        _ => "owner-a",
    };

    [Fact]
    public async Task every_hostile_value_in_every_operation_is_a_4xx_problem_and_changes_nothing()
    {
        await Cast(Api);
        var asset = await Active(Api);
        var tokens = new Dictionary<string, string>();
        foreach (var who in new[] { "operator", "reg-1", "owner-a" }) tokens[who] = await Api.Token(who);
        var versionBefore = (await Api.Get($"/api/v1/assets/{asset}", "owner-a")).ETag;
        var eventsBefore = await Api.Scalar("SELECT count(*) FROM events");

        var doc = JsonNode.Parse((await Api.Get("/swagger/v1/swagger.json", null)).Body)!;
        string PathValue(string path, string name) => name switch
        {
            "id" when path.Contains("participants", StringComparison.Ordinal) => "owner-a",
            "id" => asset,
            "login" => ApiServer.LoginOf("owner-a"),
            "treeSize" => "1",
            "role" => "Owner",
            "allianceId" => "fuzz-alliance",
            "networkId" => "besu",
            _ => "fuzz",
        };
        var cases = new List<(FuzzCase Case, string? Caller)>();
        foreach (var c in FuzzCases.From(doc, PathValue))
        {
            var path = c.Operation.Split(' ')[1];
            cases.Add((c, null));
            if (c.Secured && !c.OwnCaller) cases.Add((c, CallerOf(path)));
        }

        var failures = new ConcurrentQueue<string>();
        var serverErrors = 0;
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (item, ct) =>
        {
            var (c, caller) = item;
            var headers = c.Headers.ToList();
            if (caller is not null) headers.Add(("Authorization", Encoding.ASCII.GetBytes("Bearer " + tokens[caller])));
            var answer = await RawHttp.Send(Api.BaseAddress, c.Method, c.Target, headers, c.Body, ct);
            if (answer.Status >= 500) Interlocked.Increment(ref serverErrors);
            if ((c.Ignorable && answer.Status < 400 ? null : Judge(answer)) is { } wrong) failures.Enqueue($"{c} as {caller ?? "anonymous"}: {wrong} — {answer}");
        });

        var operations = cases.Select(c => c.Case.Operation).Distinct().Count();
        var documented = doc["paths"]!.AsObject().Sum(p => p.Value!.AsObject().Count);
        output.WriteLine($"fuzz: {documented} operations in the document, {operations} fuzzed, " +
                         $"{cases.Count} requests sent, {serverErrors} answered 5xx, {failures.Count} not a 4xx problem, {server.Errors.Errors.Count} errors logged");
        foreach (var f in failures.Order()) output.WriteLine(f);

        Assert.Equal(documented, operations);
        Assert.True(failures.IsEmpty, $"{failures.Count} of {cases.Count} fuzz requests were not answered with a 4xx problem, e.g.:\n{string.Join("\n", failures.Take(40))}");
        Assert.Equal(versionBefore, (await Api.Get($"/api/v1/assets/{asset}", "owner-a")).ETag);
        Assert.Equal(eventsBefore, await Api.Scalar("SELECT count(*) FROM events"));
        Assert.Empty(server.Errors.Errors);
    }

    /// <summary>Why the answer is wrong, or null: it must be a 4xx RFC 9457 problem with a code and a sentence.</summary>
    static string? Judge(RawHttp.Answer a)
    {
        if (a.Status is < 400 or >= 500) return $"status {a.Status}";
        if (a.ContentType != "application/problem+json") return "not problem+json";
        try
        {
            var problem = JsonNode.Parse(a.Body);
            if (problem?["code"] is null || problem["title"] is null || problem["status"]?.GetValue<int>() != a.Status) return "a problem without code, title or status";
            if (problem["title"]!.GetValue<string>() == "Server error") return "titled 'Server error'";
        }
        catch (System.Text.Json.JsonException) { return "a body that is not JSON"; }
        return null;
    }
}
