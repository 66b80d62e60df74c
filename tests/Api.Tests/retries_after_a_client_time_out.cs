using System.Net;
using System.Text.Json;
using AssetLedger.Api.Tests.Support;
using AssetLedger.Infrastructure.Tests.Support;
using static AssetLedger.Api.Tests.Support.AssetScenario;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 15 item 1: a client that gives up while its command waits to be appended, and retries with the same
/// Idempotency-Key, gets the first answer: the command runs once, whether or not its client waited, on any instance.
/// </summary>
public sealed class retries_after_a_client_time_out(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    public Task InitializeAsync() => Cast(api);
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task a_registration_whose_client_gave_up_is_written_once_and_its_retry_gets_the_201()
    {
        var key = Guid.NewGuid().ToString();
        var body = JsonSerializer.Serialize(Receipt(), new JsonSerializerOptions(JsonSerializerDefaults.Web));
        var token = await api.Token("owner-a");
        var second = await api.SecondInstance();
        try
        {
            await using (var held = await SequenceLock.Hold(api.ConnectionString))
            {
                using var giveUp = new CancellationTokenSource();
                var first = PostGivingUp(body, key, token, giveUp.Token);
                await Eventually.WaitUntil(async () => await held.Waiting() > 0, "the registration's append to wait for the sequence lock");
                await giveUp.CancelAsync(); // the client times out while the append waits
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
                // Long enough for a server that stopped waiting to free the key before the append commits.
                await Task.Delay(1000);
            }

            var retry = await RetryUntilDone(api, body, key, token);
            Assert.True(retry.Status == HttpStatusCode.Created, retry.ToString());
            Assert.True(retry.Replayed);
            var elsewhere = await RetryUntilDone(second, body, key, token);
            Assert.Equal(HttpStatusCode.Created, elsewhere.Status);
            Assert.Equal(retry.Location, elsewhere.Location);
            Assert.Equal(1, await api.Scalar($"SELECT count(*) FROM events WHERE metadata->>'idempotencyKey' = '{key}'"));
        }
        finally { await second.DisposeAsync(); }
    }

    async Task PostGivingUp(string body, string key, string token, CancellationToken giveUp)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/assets") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("Idempotency-Key", key);
        using var response = await api.Http.SendAsync(request, giveUp);
        throw new InvalidOperationException($"The request was answered before its client gave up: {response.StatusCode}");
    }

    /// <summary>A retry is told "in progress" while the first request still runs; a client retries that.</summary>
    static async Task<Reply> RetryUntilDone(ApiServer instance, string body, string key, string token)
    {
        Reply reply = null!;
        await Eventually.WaitUntil(async () =>
        {
            reply = await instance.SendRaw(HttpMethod.Post, "/api/v1/assets", token, body, ("Idempotency-Key", key));
            return reply.Code != "idempotency.in_progress";
        }, "the first request to finish");
        return reply;
    }
}
