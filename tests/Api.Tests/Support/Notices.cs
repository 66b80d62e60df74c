using System.Net;
using System.Text.Json;
using AssetLedger.Application.Webhooks;
using NSec.Cryptography;

namespace AssetLedger.Api.Tests.Support;

/// <summary>Sending signed inbound notices as a participant's system would (Standard Webhooks, v1 or v1a).</summary>
public static class Notices
{
    /// <summary>Registers HMAC credentials for the participant and returns its secret.</summary>
    public static async Task<string> RegisterSecret(ApiServer api, string participant)
    {
        var r = await api.Send(HttpMethod.Put, "/api/v1/integrations/notice-credentials", participant, "{}");
        Assert.True(r.Status == HttpStatusCode.OK, r.ToString());
        return r.Json["secret"]!.GetValue<string>();
    }

    /// <summary>Registers an Ed25519 key (and no secret) for the participant; returns the private key.</summary>
    public static async Task<Key> RegisterKey(ApiServer api, string participant)
    {
        var key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        var publicKey = WebhookSignature.PublicKeyPrefix + Convert.ToBase64String(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
        var r = await api.Send(HttpMethod.Put, "/api/v1/integrations/notice-credentials", participant, JsonSerializer.Serialize(new { publicKey }));
        Assert.True(r.Status == HttpStatusCode.OK, r.ToString());
        return key;
    }

    public static string Body(string participant, string type, object data) =>
        JsonSerializer.Serialize(new { participant, type, data }, new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>POSTs a body signed v1 with the secret (or v1a with the key) at a time, under an id.</summary>
    public static Task<Reply> Send(ApiServer api, string system, string body, string? secret = null, Key? key = null, string? id = null,
        DateTimeOffset? at = null)
    {
        id ??= "msg_" + Guid.NewGuid().ToString("N");
        var ts = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        var signature = key is null ? WebhookSignature.V1(secret!, id, ts, body) : WebhookSignature.V1a(m => SignatureAlgorithm.Ed25519.Sign(key, m), id, ts, body);
        return api.SendRaw(HttpMethod.Post, $"/api/v1/integrations/{system}/notices", null, body,
            ("webhook-id", id), ("webhook-timestamp", ts.ToString()), ("webhook-signature", signature));
    }
}
