using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AssetLedger.Api.Tests.Support;

/// <summary>
/// A real webhook endpoint: Kestrel on a loopback port, answering each request as the next entry of its script says
/// (200, 500, 410, slowly, not at all, 500 once the test says so), then 200. Keeps every request as it arrived.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public enum Answer { Ok, Error, Gone, Slow, Hang, LateError }

    public sealed record Delivery(string Id, string Timestamp, string Signature, string Body, Answer AnsweredWith, string ContentType = "")
    {
        public JsonObject Event => JsonNode.Parse(Body)!.AsObject();
        /// <summary>The CloudEvents the request carried: the one structured event, or a batch's, in order.</summary>
        public IReadOnlyList<JsonObject> Events => JsonNode.Parse(Body) is JsonArray batch ? [.. batch.Select(e => e!.AsObject())] : [Event];
        public long Position => long.Parse(Event["logposition"]!.GetValue<string>());
    }

    readonly WebApplication _app;
    readonly ConcurrentQueue<Answer> _script = new();
    readonly List<Delivery> _received = [];
    readonly CancellationTokenSource _stop = new();
    readonly TaskCompletionSource _late = new(TaskCreationOptions.RunContinuationsAsynchronously);

    WebhookReceiver(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;
    public TimeSpan SlowFor { get; set; } = TimeSpan.FromSeconds(3);

    public IReadOnlyList<Delivery> Received { get { lock (_received) return _received.ToList(); } }

    public static async Task<WebhookReceiver> Start()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", receiver.Receive);
        await app.StartAsync();
        receiver.Url = new Uri(app.Urls.First() + "/hook");
        return receiver;
    }

    /// <summary>Answers the next requests so, in turn; after them, 200.</summary>
    public void Then(params Answer[] answers) { foreach (var a in answers) _script.Enqueue(a); }

    /// <summary>Lets the requests held by <see cref="Answer.LateError"/> have their 500.</summary>
    public void AnswerLate() => _late.TrySetResult();

    async Task Receive(HttpContext http)
    {
        var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
        var answer = _script.TryDequeue(out var a) ? a : Answer.Ok;
        var h = http.Request.Headers;
        lock (_received) _received.Add(new Delivery(h["webhook-id"].ToString(), h["webhook-timestamp"].ToString(), h["webhook-signature"].ToString(), body, answer,
            http.Request.ContentType ?? ""));
        if (answer == Answer.Slow) await Delay(SlowFor);
        if (answer == Answer.Hang) await Delay(Timeout.InfiniteTimeSpan);
        if (answer == Answer.LateError) await _late.Task.WaitAsync(_stop.Token).ContinueWith(_ => { });
        http.Response.StatusCode = answer switch { Answer.Error or Answer.LateError => 500, Answer.Gone => 410, _ => 200 };
    }

    async Task Delay(TimeSpan t)
    {
        try { await Task.Delay(t, _stop.Token); } catch (OperationCanceledException) { }
    }

    /// <summary>Waits until <paramref name="done"/> holds for what arrived, at most <paramref name="seconds"/>.</summary>
    public async Task<IReadOnlyList<Delivery>> Until(Func<IReadOnlyList<Delivery>, bool> done, int seconds = 30)
    {
        for (var i = 0; i < seconds * 20; i++)
        {
            var now = Received;
            if (done(now)) return now;
            await Task.Delay(50);
        }
        throw new TimeoutException($"the receiver did not get what was expected in {seconds} s; it got {Received.Count}: " +
            string.Join(", ", Received.Select(d => $"{d.Event["type"]}@{d.Event["logposition"]}/{d.AnsweredWith}")));
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
