using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AssetLedger.Api.Tests.Support;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using AssetLedger.Ledger.Evidence;
using AssetLedger.Ledger.Serialization;
using AssetLedger.Ledger.Signatures;
using static AssetLedger.Api.Tests.Support.AssetScenario;
using static AssetLedger.Api.Tests.Support.Evidence;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 13, items 4–6: the operator, with database access and its own ledger key, appends events that hash, chain,
/// prove and anchor like real ones. A signature binds the request it signed (asset, version, time, type and data, once);
/// a bundle carries each actor's context so a key registration cannot be left out; replay judges each event by the rules.
/// </summary>
public sealed class signatures_and_rules_hold_against_the_operator(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    public Task InitializeAsync() => Cast(api);
    public Task DisposeAsync() => Task.CompletedTask;

    async Task<ECDsa> KeyHolder(string participant, string role)
    {
        await api.Participants((participant, role));
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.Equal(HttpStatusCode.OK, (await api.Post($"/api/v1/participants/{participant}/signing-key", participant, new { publicKey = key.ExportSubjectPublicKeyInfoPem() })).Status);
        return key;
    }

    /// <summary>An active receipt owned by <paramref name="owner"/>, registered with a signed command; its id.</summary>
    async Task<string> SignedActiveReceipt(ECDsa key, string owner)
    {
        var body = $$"""{"kind":"WarehouseReceipt","ownerId":"{{owner}}","warehouseId":"wh-1","receiptNumber":"S-{{Guid.NewGuid():N}}","commodity":"zinc","quantity":"25","unit":"t"}""";
        var created = await api.Post("/api/v1/assets", owner, body, Signing.Headers(key, "/api/v1/assets", body, $"reg-{Guid.NewGuid():N}", Signing.NewAssetId(), 0));
        Assert.True(created.Status == HttpStatusCode.Created, created.ToString());
        var id = created.Json["assetId"]!.GetValue<string>();
        await Ok(api.Post($"/api/v1/assets/{id}/confirmations", "wh-1", new { approve = true }));
        await Ok(api.Post($"/api/v1/assets/{id}/confirmations", "tc-1", new { approve = true }));
        return id;
    }

    /// <summary>Metadata as the command path writes it, with the participant's current stream head and, if given, a signature.</summary>
    async Task<string> Metadata(string participant, string? idempotencyKey = null, string? signature = null)
    {
        var (version, hash) = await Forgery.Head(api, participant);
        return JsonSerializer.Serialize(new EventMetadata(participant, $"{participant}.fixture", Guid.NewGuid(), null, idempotencyKey, signature, version, hash), EventSerializer.Options);
    }

    static string SignatureJson(ECDsa key, string payload) => JsonSerializer.Serialize(new
    {
        alg = "ES256", keyId = CommandSignature.KeyIdOf(key), payload,
        signature = Convert.ToBase64String(key.SignData(Encoding.UTF8.GetBytes(payload), HashAlgorithmName.SHA256)),
    });

    static string Data(IAssetEvent e) => EventSerializer.Instance.Serialize(e).Json;

    [Fact]
    public async Task a_signed_offer_to_buyer_b_does_not_pass_for_an_event_that_offers_the_asset_to_tc_1()
    {
        using var key = await KeyHolder("signer-s1", "Owner");
        var id = await SignedActiveReceipt(key, "signer-s1");
        var at = DateTimeOffset.UtcNow;
        var payload = SignedPayload.Build($"/api/v1/assets/{id}/transfer-offer", """{"toId":"buyer-b"}""", "offer-s1", id, 3, Signing.Now(at))!;
        var asset = new AssetId(Guid.Parse(id));

        await Forgery.Append(api, asset.StreamId, "asset-transfer-offered", Data(new AssetTransferOffered(asset, new("signer-s1"), new("tc-1"), at)),
            await Metadata("signer-s1", "offer-s1", SignatureJson(key, payload)));

        var report = Verify(await Bundle(api, id));
        Assert.Equal(["signature binding"], FailedChecks(report));
        Assert.Contains("the signed body says toId \"buyer-b\", but the event's to is \"tc-1\"", Failures(report, "signature binding"));
    }

    [Fact]
    public async Task a_signed_registration_does_not_pass_for_an_event_with_another_quantity()
    {
        using var key = await KeyHolder("signer-s2", "Owner");
        var asset = AssetId.New();
        var id = asset.ToString();
        var number = $"S2-{Guid.NewGuid():N}";
        var body = $$"""{"kind":"WarehouseReceipt","ownerId":"signer-s2","warehouseId":"wh-1","receiptNumber":"{{number}}","commodity":"zinc","quantity":"25","unit":"t"}""";
        var at = DateTimeOffset.UtcNow;
        var payload = SignedPayload.Build("/api/v1/assets", body, "reg-s2", id, 0, Signing.Now(at))!;
        var details = new AssetDetails { Warehouse = new("wh-1"), ReceiptNumber = number, Commodity = "zinc", Quantity = new Quantity("99", "t") };
        var decided = AssetDecider.Decide(AssetState.Initial, new RegisterAsset(asset, AssetKind.WarehouseReceipt, new("signer-s2"), details, Actor.Of("signer-s2", Role.Owner), at));

        await Forgery.Append(api, asset.StreamId, "asset-registered", Data(Assert.Single(decided.Events)), await Metadata("signer-s2", "reg-s2", SignatureJson(key, payload)));

        var report = Verify(await Bundle(api, id));
        Assert.Equal(["signature binding"], FailedChecks(report));
        Assert.Contains("the signed body says quantity \"25\", but the event's details.quantity.value is \"99\"", Failures(report, "signature binding"));
    }

    [Fact]
    public async Task a_signed_payload_is_one_command_and_a_stale_or_replayed_request_is_refused()
    {
        using var key = await KeyHolder("signer-s3", "Owner");
        var id = await SignedActiveReceipt(key, "signer-s3");
        var path = $"/api/v1/assets/{id}/transfer-offer";
        var offer = """{"toId":"buyer-b"}""";
        var stale = await api.Post(path, "signer-s3", offer, Signing.Headers(key, path, offer, "offer-s3-old", id, 3, DateTimeOffset.UtcNow.AddMinutes(-10)));
        Assert.Equal((HttpStatusCode.Unauthorized, "signature.stale"), (stale.Status, stale.Code));
        var headers = Signing.Headers(key, path, offer, "offer-s3", id, 3);
        await Ok(api.Post(path, "signer-s3", offer, headers));
        await Ok(api.Post($"/api/v1/assets/{id}/transfer-offer/decline", "buyer-b", null));
        // The same signed request again, whoever sends it, is bound to version 3 of this asset: it makes no second offer.
        var replayed = await api.Post(path, "signer-s3", offer, headers.Take(2).ToArray());
        Assert.Equal(HttpStatusCode.Unauthorized, replayed.Status);
        var sameKey = await api.Post(path, "signer-s3", offer, headers);
        Assert.Equal(4, sameKey.Json["version"]!.GetValue<long>());
        Assert.Equal(5, await api.Scalar($"SELECT max(version) FROM events WHERE stream_id = 'asset-{id}'"));

        // The operator reuses the logged signature for a second offer event.
        var first = JsonNode.Parse(await api.Text($"SELECT metadata::text FROM events WHERE stream_id = 'asset-{id}' AND version = 4"))!;
        var asset = new AssetId(Guid.Parse(id));
        await Forgery.Append(api, asset.StreamId, "asset-transfer-offered", Data(new AssetTransferOffered(asset, new("signer-s3"), new("buyer-b"), DateTimeOffset.UtcNow)),
            await Metadata("signer-s3", "offer-s3", first["signature"]!.GetValue<string>()));

        var report = Verify(await Bundle(api, id));
        Assert.Equal(["signature binding"], FailedChecks(report));
        Assert.Contains("v6): its signed payload is the one already used for position", Failures(report, "signature binding"));
    }

    [Fact]
    public async Task an_unsigned_event_in_a_key_holders_name_fails_even_with_the_key_registration_left_out_of_the_bundle()
    {
        using var key = await KeyHolder("signer-tc", "TradingCenter");
        var id = await Pending(api);
        await Ok(api.Post($"/api/v1/assets/{id}/confirmations", "wh-1", new { approve = true }));
        var asset = new AssetId(Guid.Parse(id));
        // The trading center's confirmation, written in its name without its signature.
        await Forgery.Append(api, asset.StreamId, "asset-confirmed", Data(new AssetConfirmed(asset, new("signer-tc"), "trading-center", null, DateTimeOffset.UtcNow)), await Metadata("signer-tc"));
        var forged = await api.Scalar($"SELECT position FROM events WHERE stream_id = 'asset-{id}' AND version = 3");

        var files = Files(await Bundle(api, id));
        var registration = await api.Scalar("SELECT position FROM events WHERE stream_id = 'participant-signer-tc' AND type = 'participant-signing-key-registered'");
        var cut = Forgery.Resigned(api, files, f =>
        {
            f[BundleFormat.Participants] = Forgery.Without(f[BundleFormat.Participants], l => l.Contains("participant-signing-key-registered") && l.Contains("signer-tc"));
            f[BundleFormat.Proofs] = Forgery.Without(f[BundleFormat.Proofs], l => l.Contains($"\"position\":{registration},"));
        });
        var report = BundleVerifier.Verify(cut);
        // The cut also leaves the report describing a key the files no longer hold (report); a careful forger re-renders
        // it, so only the signer context is the check under test here.
        Assert.Equal(["signer context"], FailedChecks(report).Where(c => c != "report"));
        Assert.Contains("commits to signer-tc's stream at version 2, but that stream holds only versions 1–1", Failures(report, "signer context"));

        var integrity = (await api.Get($"/api/v1/ledger/integrity?from={forged}&to={forged}", "reg-1")).Json;
        Assert.Contains(integrity["problems"]!.AsArray(), p => p!["kind"]!.GetValue<string>() == "signer" && p["message"]!.GetValue<string>().Contains("unsigned, but signer-tc held signing key"));
    }

    [Fact]
    public async Task a_transfer_taken_with_no_offer_is_named_by_the_rules_in_the_bundle_and_the_integrity_check()
    {
        var id = await Active(api);
        var asset = new AssetId(Guid.Parse(id));
        var eventId = await Forgery.Append(api, asset.StreamId, "asset-transferred", Data(new AssetTransferred(asset, new("owner-a"), new("tc-1"), DateTimeOffset.UtcNow)), await Metadata("tc-1"));
        var position = await api.Scalar($"SELECT position FROM events WHERE event_id = '{eventId}'");

        var report = Verify(await Bundle(api, id));
        Assert.Equal(["rules"], FailedChecks(report));
        Assert.Contains($"event {eventId} (asset-{id} v4): asset-transferred by tc-1 is not allowed by the rules: asset.no_pending_offer", Failures(report, "rules"));

        var integrity = (await api.Get($"/api/v1/ledger/integrity?from={position}&to={position}", "reg-1")).Json;
        Assert.False(integrity["ok"]!.GetValue<bool>());
        Assert.Contains(integrity["problems"]!.AsArray(), p => p!["kind"]!.GetValue<string>() == "rules" && p["position"]!.GetValue<long>() == position);
    }

    [Fact]
    public async Task a_signed_split_binds_the_parent_and_its_parts_and_a_parts_bundle_verifies()
    {
        using var key = await KeyHolder("signer-s9", "Owner");
        var id = await SignedActiveReceipt(key, "signer-s9");
        const long version = 3; // registered, then confirmed by the warehouse and the trading center
        var path = $"/api/v1/assets/{id}/splits";
        var body = $$"""{"parts":[{"quantity":"10"},{"quantity":"15","receiptNumber":"S9-{{Guid.NewGuid():N}}"}]}""";
        var split = await api.Post(path, "signer-s9", body, Signing.Headers(key, path, body, $"split-{Guid.NewGuid():N}", id, version));
        Assert.True(split.Status == HttpStatusCode.Created, split.ToString());
        var part = split.Json["parts"]![1]!["assetId"]!.GetValue<string>();
        // The part's bundle holds the parent's signed split and the part's first event, both under the one signature.
        foreach (var asset in new[] { id, part })
        {
            var report = Verify(await Bundle(api, asset));
            Assert.True(report.Ok, Describe(report));
            Assert.Contains(report.Checks, c => c.Name == "signature binding" && c.Passed);
        }
    }
}
