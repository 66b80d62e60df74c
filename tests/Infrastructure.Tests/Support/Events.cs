using System.Text.Json;
using AssetLedger.Application.Ports;

namespace AssetLedger.Infrastructure.Tests.Support;

public static class Events
{
    public static EventToAppend Any(string type = "test-happened", object? data = null) =>
        new(Guid.CreateVersion7(), type, 1, JsonSerializer.Serialize(data ?? new { n = 1 }), """{"participant":"tester"}""");

    public static AppendRequest Append(string stream, long expected, params EventToAppend[] events) => new(stream, expected, events);
}
