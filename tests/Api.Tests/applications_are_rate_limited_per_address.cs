using System.Net;
using AssetLedger.Api.Tests.Support;
using AssetLedger.Domain.Participants;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 14 item 3: anonymous applications are counted per client address in PostgreSQL, so every instance shares the
/// count; past the limit an address is refused with 429, a problem and Retry-After, while other addresses still apply.
/// </summary>
public sealed class applications_are_rate_limited_per_address(TwoInstances instances) : IClassFixture<TwoInstances>
{
    static IPAddress Address(int last) => IPAddress.Parse($"127.0.0.{last}");

    [Fact]
    public async Task one_address_applies_only_so_often_on_all_instances_together()
    {
        var (api, second) = (instances.First, instances.Second);
        for (var i = 0; i < ApplicationLimits.PerAddress; i++)
        {
            var accepted = await (i % 2 == 0 ? api : second).ApplyFrom(Address(41), $"busy-{i}", $"admin@busy-{i}", "a long passphrase");
            Assert.True(accepted.Status == HttpStatusCode.Created, $"application {i}: {accepted}");
        }

        foreach (var instance in new[] { api, second })
        {
            var refused = await instance.ApplyFrom(Address(41), "busy-over", "admin@busy-over", "a long passphrase");
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
            Assert.Equal("application/problem+json", refused.ContentType);
            Assert.Equal("participant.too_many_applications", refused.Code);
            Assert.NotNull(refused.RetryAfter);
            Assert.InRange(refused.RetryAfter!.Value, TimeSpan.FromSeconds(1), ApplicationLimits.Window);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await api.Get("/api/v1/participants/busy-over", "operator")).Status);

        var elsewhere = await second.ApplyFrom(Address(42), "busy-over", "admin@busy-over", "a long passphrase");
        Assert.Equal(HttpStatusCode.Created, elsewhere.Status);
    }
}
