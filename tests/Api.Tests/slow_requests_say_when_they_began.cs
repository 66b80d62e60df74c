using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using AssetLedger.Api.Tests.Support;
using AssetLedger.Infrastructure.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace AssetLedger.Api.Tests;

/// <summary>An API that logs every request as slow (a threshold of a microsecond), with its log kept for the test.</summary>
public sealed class EverySlowApi : IAsyncLifetime
{
    public LogCapture Logs { get; } = new();
    public ApiServer Api { get; }

    public EverySlowApi() => Api = new ApiServer
    {
        Settings = new Dictionary<string, string> { ["AssetLedger:SlowRequestMilliseconds"] = "0.001" },
        ConfigureServices = s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Logs),
    };

    public Task InitializeAsync() => Api.InitializeAsync();
    public Task DisposeAsync() => Api.DisposeAsync();
}

/// <summary>
/// Issue 21: the slow-request line says when the request began (UTC, to the millisecond), so that slow answers that began
/// together can be told from slow kinds of request, and lined up with the database's log; and it still says where the time went.
/// </summary>
public sealed partial class slow_requests_say_when_they_began(EverySlowApi fixture) : IClassFixture<EverySlowApi>
{
    [Fact]
    public async Task a_slow_request_is_logged_with_the_moment_it_began_and_its_stages()
    {
        var before = DateTime.UtcNow;
        var answer = await fixture.Api.Get("/api/v1/participants", "operator");
        var after = DateTime.UtcNow;

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        // The line is written once the answer has gone out, so it may come a moment after the client has it.
        static bool Ours(LogCapture.Entry e) => e.Category.EndsWith(".SlowRequests", StringComparison.Ordinal)
            && e.Message.StartsWith("Slow request GET /api/v1/participants 200:", StringComparison.Ordinal);
        await Eventually.WaitUntil(() => Task.FromResult(fixture.Logs.Entries.Any(Ours)), "the slow-request line");
        var line = Assert.Single(fixture.Logs.Entries, Ours).Message;
        var match = Began().Match(line);
        Assert.True(match.Success, $"no start time in: {line}");
        var began = DateTime.ParseExact(match.Groups[1].Value, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        Assert.InRange(began, before.AddMilliseconds(-1), after);
        Assert.Contains("stages: ", line);
        Assert.Contains("auth.session", line);
    }

    [GeneratedRegex(@" ms from (\S+); stages: ")]
    private static partial Regex Began();
}
