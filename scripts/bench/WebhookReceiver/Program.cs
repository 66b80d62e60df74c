// The webhook endpoint of scripts/bench-webhooks.sh: answers 200 at once and logs, per delivery, the path (which
// subscription), the webhook-id and the milliseconds from the event's recording (the CloudEvent's time) to its arrival.
// Kestrel, not Python: at 10 subscriptions × the command rate, a Python http.server on the two busy cores was the
// slowest part of the measurement (it took about 350 deliveries/s whatever the registry did).
using System.Text.Json;

var port = int.Parse(args[0]);
using var output = new StreamWriter(args[1], append: true) { AutoFlush = true };
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(o => o.ListenLocalhost(port));
var app = builder.Build();
app.MapPost("/{subscription}", async (string subscription, HttpRequest request) =>
{
    using var body = await JsonDocument.ParseAsync(request.Body);
    var arrived = DateTimeOffset.UtcNow;
    var recorded = body.RootElement.GetProperty("time").GetDateTimeOffset();
    var line = $"/{subscription} {request.Headers["webhook-id"]} {(arrived - recorded).TotalMilliseconds:0.0}";
    lock (output) output.WriteLine(line);
    return Results.Ok();
});
app.Run();
