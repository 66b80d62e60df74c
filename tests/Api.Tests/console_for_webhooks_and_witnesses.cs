using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using AssetLedger.Api.Tests.Support;
using static AssetLedger.Api.Tests.Support.AssetScenario;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 20, the webhook and witness pages: a bank subscribes its endpoint by form and is shown the secret once (the
/// secret then signs what arrives), sees its attempts, replays and deletes; another participant cannot reach its
/// subscription. The operator registers a witness by form, sees it cosign, and switches it off; nobody else may.
/// </summary>
public sealed partial class console_for_webhooks_and_witnesses(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    public Task InitializeAsync() => Cast(api);
    public Task DisposeAsync() => Task.CompletedTask;

    [GeneratedRegex("data-secret>(whsec_[^<]+)<")] private static partial Regex SecretPattern();
    [GeneratedRegex("data-created=\"([0-9a-f-]{36})\"")] private static partial Regex CreatedPattern();

    [Fact]
    public async Task a_bank_subscribes_by_form_is_shown_its_secret_once_and_manages_only_its_own_subscription()
    {
        await using var receiver = await WebhookReceiver.Start();
        using var bank = await ConsoleClient.SignedIn(api, "bank-1");
        var page = await bank.Get("/console/webhooks");
        var made = await bank.Post("/console/webhooks?handler=create", page.Form("subscribe"), ("url", receiver.Url.ToString()), ("assetKinds", "WarehouseReceipt"),
            ("maxEventsPerRequest", "10"));
        Assert.True(made.Status == HttpStatusCode.OK, made.ToString());
        var shown = SecretPattern().Match(made.Html).Groups[1].Value; // as the page writes it (HTML-encoded)
        var secret = WebUtility.HtmlDecode(shown);
        var id = CreatedPattern().Match(made.Html).Groups[1].Value;
        Assert.StartsWith("whsec_", secret);
        // Shown once: the list drawn again does not carry it.
        var listed = await bank.Get("/console/webhooks");
        Assert.Contains($"data-webhook=\"{id}\"", listed.Html);
        Assert.Contains("data-per-request=\"10\"", listed.Html);
        Assert.DoesNotContain(shown, listed.Html);

        // What the bank then receives is signed with that secret (Standard Webhooks v1).
        var receipt = await Active(api);
        await Ok(api.Post($"/api/v1/assets/{receipt}/transfer-out", "owner-a", new { venueId = "bank-1", purpose = "Financing" }));
        var delivery = (await receiver.Until(d => d.Count > 0))[0];
        Assert.StartsWith("application/cloudevents-batch+json", delivery.ContentType); // the form's 10 events per request
        using var hmac = new HMACSHA256(Convert.FromBase64String(secret["whsec_".Length..]));
        var expected = "v1," + Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes($"{delivery.Id}.{delivery.Timestamp}.{delivery.Body}")));
        Assert.Contains(expected, delivery.Signature.Split(' '));
        Assert.Contains("data-ok=\"true\"", (await bank.Get($"/console/webhooks/{id}")).Html);

        // A bad replay position is the API's refusal; a good one moves the cursor back.
        listed = await bank.Get("/console/webhooks");
        var refused = await bank.Post("/console/webhooks?handler=replay", listed.Form("replay"), ("fromPosition", "999999999"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Status);
        Assert.Equal(HttpStatusCode.Redirect, (await bank.Post("/console/webhooks?handler=replay", refused.Form("replay"), ("fromPosition", "1"))).Status);

        // Another participant cannot see, attempt-read or delete it.
        using var owner = await ConsoleClient.SignedIn(api, "owner-a");
        var theirs = await owner.Get("/console/webhooks");
        Assert.DoesNotContain(id, theirs.Html);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.Get($"/console/webhooks/{id}")).Status);
        var stolen = await owner.Post("/console/webhooks?handler=delete", theirs.Form("subscribe"), ("id", id));
        Assert.Equal(HttpStatusCode.NotFound, stolen.Status);
        Assert.Equal(HttpStatusCode.OK, (await api.Get($"/api/v1/webhooks/{id}", "bank-1")).Status);

        listed = await bank.Get("/console/webhooks");
        Assert.Equal(HttpStatusCode.Redirect, (await bank.Post("/console/webhooks?handler=delete", listed.Form("deletewebhook"))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Get($"/api/v1/webhooks/{id}", "bank-1")).Status);
    }

    [Fact]
    public async Task the_operator_registers_a_witness_by_form_sees_it_cosign_and_switches_it_off()
    {
        await using var witness = await TestWitness.Start(api);
        using var op = await ConsoleClient.SignedIn(api, "operator");
        var page = await op.Get("/console/operator/witnesses");
        Assert.True(page.Status == HttpStatusCode.OK, page.ToString());
        // A key that is no verifier key is the decider's refusal; nothing is registered.
        var bad = await op.Post("/console/operator/witnesses?handler=register", page.Form("registerwitness"), ("name", "w1"), ("url", witness.Server.Url), ("verifierKey", "not-a-key"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.Status);
        Assert.DoesNotContain("\"w1\"", (await api.Get("/api/v1/chains/witnesses", "operator")).Body);
        var registered = await op.Post("/console/operator/witnesses?handler=register", bad.Form("registerwitness"), ("name", "w1"), ("url", witness.Server.Url), ("verifierKey", witness.VerifierKey));
        Assert.True(registered.Status == HttpStatusCode.Redirect, registered.ToString());

        await Active(api);
        var head = (await api.Get("/api/v1/ledger/checkpoints/latest", null)).Json["treeSize"]!.GetValue<long>();
        await witness.CosignedCheckpoint(api, head);
        page = await op.Get("/console/operator/witnesses");
        Assert.Contains("data-witness=\"w1\" data-active=\"true\"", page.Html);
        Assert.Equal(["deactivate", "registerwitness"], page.Actions());
        Assert.Equal(HttpStatusCode.Redirect, (await op.Post("/console/operator/witnesses?handler=deactivate", page.Form("deactivate"), ("name", "w1"))).Status);
        Assert.Contains("data-witness=\"w1\" data-active=\"false\"", (await op.Get("/console/operator/witnesses")).Html);
        Assert.Contains("\"active\":false", (await api.Get("/api/v1/chains/witnesses", "operator")).Body);

        foreach (var someone in new[] { "reg-1", "owner-a" })
        {
            using var other = await ConsoleClient.SignedIn(api, someone);
            var refused = await other.Get("/console/operator/witnesses");
            Assert.True(refused.Status == HttpStatusCode.Forbidden || refused.Location?.Contains("/console/denied") == true, refused.ToString());
        }
    }
}
