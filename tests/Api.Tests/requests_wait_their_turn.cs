using System.Text;
using AssetLedger.Api.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 21: an instance works on at most AssetLedger:Http:MaxConcurrentRequests requests at once; the others wait in arrival
/// order, a request past the queue is answered 503 service.busy having done nothing, and health probes never wait. The
/// middleware is driven directly: its next step is a request held open by the test, so who runs when is exact.
/// </summary>
public sealed class requests_wait_their_turn
{
    static RequestAdmission Admission(RequestDelegate next, int permits, int queue) => new(next, new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AssetLedger:Http:MaxConcurrentRequests"] = permits.ToString(), ["AssetLedger:Http:MaxQueuedRequests"] = queue.ToString(),
        }).Build());

    static readonly IServiceProvider Services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();

    static DefaultHttpContext Request(string path, CancellationToken aborted = default) => new()
    {
        RequestServices = Services,
        Request = { Path = path, Method = "GET" },
        Response = { Body = new MemoryStream() },
        RequestAborted = aborted,
    };

    /// <summary>A next step that records which requests ran and holds each until the test lets it go.</summary>
    sealed class Held
    {
        public readonly List<string> Started = [];
        readonly Dictionary<string, TaskCompletionSource> _gates = [];

        public Task Next(HttpContext http)
        {
            var path = http.Request.Path.Value!;
            TaskCompletionSource gate;
            lock (Started)
            {
                Started.Add(path);
                _gates[path] = gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            return gate.Task;
        }

        public void Release(string path) { lock (Started) _gates[path].SetResult(); }

        public async Task WaitStarted(string path)
        {
            for (var i = 0; i < 500; i++)
            {
                lock (Started) if (Started.Contains(path)) return;
                await Task.Delay(10);
            }
            throw new TimeoutException($"{path} never started; started: {string.Join(", ", Started)}");
        }
    }

    [Fact]
    public async Task requests_past_the_limit_wait_and_run_in_the_order_they_came()
    {
        var held = new Held();
        using var admission = Admission(held.Next, permits: 1, queue: 10);
        var first = admission.InvokeAsync(Request("/first"));
        await held.WaitStarted("/first");
        var second = admission.InvokeAsync(Request("/second"));
        var third = admission.InvokeAsync(Request("/third"));
        await Task.Delay(100);
        Assert.Equal(["/first"], held.Started);

        held.Release("/first");
        await first;
        await held.WaitStarted("/second");
        await Task.Delay(100);
        Assert.Equal(["/first", "/second"], held.Started); // the third still waits: one at a time

        held.Release("/second");
        await held.WaitStarted("/third");
        held.Release("/third");
        await Task.WhenAll(second, third);
        Assert.Equal(["/first", "/second", "/third"], held.Started);
    }

    [Fact]
    public async Task a_request_past_the_queue_is_answered_busy_with_retry_after_and_never_runs()
    {
        var held = new Held();
        using var admission = Admission(held.Next, permits: 1, queue: 0);
        var first = admission.InvokeAsync(Request("/first"));
        await held.WaitStarted("/first");

        var refused = Request("/refused");
        await admission.InvokeAsync(refused);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, refused.Response.StatusCode);
        Assert.Equal("1", refused.Response.Headers.RetryAfter.ToString());
        var body = Encoding.UTF8.GetString(((MemoryStream)refused.Response.Body).ToArray());
        Assert.Contains("service.busy", body);
        Assert.DoesNotContain("/refused", held.Started);

        held.Release("/first");
        await first;
        var later = admission.InvokeAsync(Request("/later"));
        await held.WaitStarted("/later"); // the permit came back
        held.Release("/later");
        await later;
    }

    [Fact]
    public async Task health_probes_never_wait()
    {
        var held = new Held();
        using var admission = Admission(held.Next, permits: 1, queue: 0);
        var first = admission.InvokeAsync(Request("/first"));
        await held.WaitStarted("/first");

        var probe = admission.InvokeAsync(Request("/health/ready"));
        await held.WaitStarted("/health/ready");
        held.Release("/health/ready");
        await probe;
        held.Release("/first");
        await first;
    }

    [Fact]
    public async Task a_client_that_leaves_while_waiting_is_dropped_without_running()
    {
        var held = new Held();
        using var admission = Admission(held.Next, permits: 1, queue: 10);
        var first = admission.InvokeAsync(Request("/first"));
        await held.WaitStarted("/first");

        using var leaving = new CancellationTokenSource();
        var waiting = admission.InvokeAsync(Request("/left", leaving.Token));
        await Task.Delay(50);
        await leaving.CancelAsync();
        await waiting; // no exception, nothing written
        held.Release("/first");
        await first;
        var next = admission.InvokeAsync(Request("/next"));
        await held.WaitStarted("/next");
        held.Release("/next");
        await next;
        Assert.DoesNotContain("/left", held.Started);
    }
}
