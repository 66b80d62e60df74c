using System.Net;
using AssetLedger.Application.Webhooks;
using NSec.Cryptography;

namespace AssetLedger.Api.Tests.Support;

/// <summary>Subscribing over the API and checking what a receiver got, as an integrator would.</summary>
public static class Webhooks
{
    /// <summary>A short retry schedule (5 s → 50 ms, 5 min → 3 s), 1-second answers, quick polling.</summary>
    public static Dictionary<string, string> FastSettings(string disableAfter = "00:01:00", string lease = "00:00:05", string timeout = "00:00:01") => new()
    {
        ["AssetLedger:Webhooks:RetryScale"] = "0.01",
        ["AssetLedger:Webhooks:Timeout"] = timeout,
        ["AssetLedger:Webhooks:Lease"] = lease,
        ["AssetLedger:Webhooks:PollInterval"] = "00:00:00.050",
        ["AssetLedger:Webhooks:DisableAfter"] = disableAfter,
    };

    public sealed record Subscription(string Id, string Secret, long Position);

    public static async Task<Subscription> Subscribe(ApiServer api, string participant, Uri url, object? more = null)
    {
        var body = new Dictionary<string, object?> { ["url"] = url.ToString() };
        if (more is not null) foreach (var p in more.GetType().GetProperties()) body[p.Name] = p.GetValue(more);
        var r = await api.Post("/api/v1/webhooks", participant, body);
        Assert.True(r.Status == HttpStatusCode.Created, r.ToString());
        return new Subscription(r.Json["subscription"]!["id"]!.GetValue<string>(), r.Json["secret"]!.GetValue<string>(),
            r.Json["subscription"]!["position"]!.GetValue<long>());
    }

    /// <summary>Checks both signatures of a delivery as a receiver would: v1 with the secret, v1a with the registry's published key.</summary>
    public static async Task AssertSigned(ApiServer api, string secret, WebhookReceiver.Delivery d)
    {
        var published = (await api.Get("/api/v1/webhooks/signing-key", null)).Json["publicKey"]!.GetValue<string>();
        var key = PublicKey.Import(SignatureAlgorithm.Ed25519, Convert.FromBase64String(published["whpk_".Length..]), KeyBlobFormat.RawPublicKey);
        var at = DateTimeOffset.FromUnixTimeSeconds(long.Parse(d.Timestamp));
        Assert.True(WebhookSignature.VerifyV1(secret, d.Id, d.Timestamp, d.Body, d.Signature, at), $"v1 of {d.Id}");
        Assert.True(WebhookSignature.VerifyV1a((m, s) => SignatureAlgorithm.Ed25519.Verify(key, m, s), d.Id, d.Timestamp, d.Body, d.Signature, at), $"v1a of {d.Id}");
    }

    /// <summary>The ids in first-arrival order, after checking that every repeat of an id came right after it (a redelivery, not a reorder).</summary>
    public static List<string> InOrderOnce(IReadOnlyList<WebhookReceiver.Delivery> received)
    {
        var ids = new List<string>();
        foreach (var d in received)
        {
            if (ids.Count > 0 && ids[^1] == d.Id) continue;
            Assert.DoesNotContain(d.Id, ids);
            ids.Add(d.Id);
        }
        return ids;
    }

    /// <summary>
    /// The distinct ids in the order first received, across a crash: a deliverer that dies resumes from its last written
    /// cursor, so what it had sent since is sent again, from an earlier event onwards and in log order. Each delivery is
    /// the same event again (a retry), the next one, or the start of such a resend; never a skip, so a receiver that
    /// drops the ids it has seen gets every event once, in log order.
    /// </summary>
    public static List<string> InOrderAtLeastOnce(IReadOnlyList<WebhookReceiver.Delivery> received) => InOrderAtLeastOnce(received.Select(d => d.Id));

    /// <summary><see cref="InOrderAtLeastOnce(IReadOnlyList{WebhookReceiver.Delivery})"/> over the CloudEvent ids of batches, in the order they arrived.</summary>
    public static List<string> EventsInOrderAtLeastOnce(IReadOnlyList<WebhookReceiver.Delivery> received) =>
        InOrderAtLeastOnce(received.SelectMany(d => d.Events).Select(e => e["id"]!.GetValue<string>()));

    static List<string> InOrderAtLeastOnce(IEnumerable<string> arrived)
    {
        var ids = new List<string>();
        var last = -1;
        foreach (var id in arrived)
        {
            var at = ids.IndexOf(id);
            if (at < 0) { at = ids.Count; ids.Add(id); }
            Assert.True(at <= last + 1, $"delivery of {id} skips from the {last + 1}th event seen to the {at + 1}th");
            last = at;
        }
        return ids;
    }

    /// <summary>Assets of owner-a transferred out to bank-1 for financing: their streams (as SQL), the first and last of those events' positions, and their ids in log order.</summary>
    public sealed record Pledges(string StreamsSql, long From, long Last, List<string> Ids);

    /// <summary><paramref name="count"/> assets of <see cref="AssetScenario"/>'s cast, each pledged to bank-1 (one <c>asset-transferred-out</c> each).</summary>
    public static async Task<Pledges> PledgedToTheBank(ApiServer api, int count)
    {
        var pledged = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var asset = await AssetScenario.Active(api);
            await AssetScenario.Ok(api.Post($"/api/v1/assets/{asset}/transfer-out", "owner-a", new { venueId = "bank-1", purpose = "Financing" }));
            pledged.Add(asset);
        }
        var streams = string.Join(", ", pledged.Select(p => $"'asset-{p}'"));
        var from = await api.Scalar($"SELECT min(position) FROM events WHERE type = 'asset-transferred-out' AND stream_id IN ({streams})");
        var last = await api.Scalar($"SELECT max(position) FROM events WHERE type = 'asset-transferred-out' AND stream_id IN ({streams})");
        return new Pledges(streams, from, last, await LoggedIds(api, from - 1, "'asset-transferred-out'", streams));
    }

    /// <summary>The ids of the log's events of these types after a position, in log order.</summary>
    public static async Task<List<string>> LoggedIds(ApiServer api, long after, string typesSql, string? streamsSql = null)
    {
        await using var conn = new Npgsql.NpgsqlConnection(api.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(
            $"SELECT event_id::text FROM events WHERE position > {after} AND type IN ({typesSql}) {(streamsSql is null ? "" : $"AND stream_id IN ({streamsSql})")} ORDER BY position", conn);
        var ids = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) ids.Add(r.GetString(0));
        return ids;
    }

    /// <summary>Reads the subscription until it answers 200 in the state <paramref name="done"/> wants, at most 30 s.</summary>
    public static async Task<Reply> Eventually(Func<Task<Reply>> get, Func<Reply, bool> done)
    {
        for (var i = 0; i < 300; i++)
        {
            var r = await get();
            if (r.Status == HttpStatusCode.OK && done(r)) return r;
            await Task.Delay(100);
        }
        throw new TimeoutException("the subscription did not reach the expected state in 30 s: " + await get());
    }
}
