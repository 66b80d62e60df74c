// The webhook endpoint of scripts/bench-webhooks.sh: answers 200 at once and logs, per event delivered, the path (which
// subscription), the webhook-id and the milliseconds from the event's recording (the CloudEvent's time) to its arrival;
// a CloudEvents batch (a JSON array) is one line per event in it, and a line "request" counts the requests.
// Kestrel, not Python: at 10 subscriptions × the command rate, a Python http.server on the two busy cores was the
// slowest part of the measurement (it took about 350 deliveries/s whatever the registry did).
using System.Text;
using System.Text.Json;

var port = int.Parse(args[0]);
using var output = new StreamWriter(args[1], append: true) { AutoFlush = false };
var requests = 0L;
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(o => o.ListenLocalhost(port));
var app = builder.Build();
app.MapPost("/{subscription}", async (string subscription, HttpRequest request) =>
{
    using var body = await JsonDocument.ParseAsync(request.Body);
    var arrived = DateTimeOffset.UtcNow;
    var lines = new StringBuilder();
    var events = body.RootElement.ValueKind == JsonValueKind.Array ? body.RootElement.EnumerateArray().ToList() : [body.RootElement];
    foreach (var e in events)
        lines.Append($"/{subscription} {e.GetProperty("id").GetString()} {(arrived - e.GetProperty("time").GetDateTimeOffset()).TotalMilliseconds:0.0}\n");
    lock (output) { output.Write(lines); output.Flush(); }
    Interlocked.Increment(ref requests);
    return Results.Ok();
});
app.MapGet("/requests", () => Interlocked.Read(ref requests));
app.Run();
