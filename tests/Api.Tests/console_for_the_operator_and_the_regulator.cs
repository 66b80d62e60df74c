using System.Net;
using AssetLedger.Api.Tests.Support;
using static AssetLedger.Api.Tests.Support.AssetScenario;

namespace AssetLedger.Api.Tests;

/// <summary>
/// The operator's and the regulator's pages: applications verified and rejected, roles, suspension and users through
/// the same commands as the API; holdings as of a time, the access audit (which the console's own reads land in), the
/// log-range export and the ledger page. Each page is refused to the roles the API refuses.
/// </summary>
public sealed class console_for_the_operator_and_the_regulator(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    public Task InitializeAsync() => Cast(api);
    public Task DisposeAsync() => Task.CompletedTask;

    static readonly IPAddress Applicant = IPAddress.Parse("127.0.0.93");

    [Fact]
    public async Task the_operator_finds_an_application_in_the_queue_and_verifies_it_with_the_roles_it_ticks()
    {
        Assert.Equal(HttpStatusCode.Created, (await api.ApplyFrom(Applicant, "coldstore-1", "admin@coldstore-1", "a long passphrase")).Status);
        await api.ProjectionsCaughtUp();
        using var op = await ConsoleClient.SignedIn(api, "operator");
        var queue = await op.Get("/console/operator/participants");
        Assert.True(queue.Status == HttpStatusCode.OK, queue.ToString());
        Assert.Contains("data-participant=\"coldstore-1\"", queue.Html);
        Assert.DoesNotContain("data-participant=\"owner-a\"", queue.Html); // verified long ago: not in the queue
        // The API lists the same queue for integrations.
        var listed = await api.Get("/api/v1/participants?status=Applied", "operator");
        Assert.Contains("coldstore-1", listed.Body);
        Assert.DoesNotContain("\"owner-a\"", listed.Body);

        var page = await op.Get("/console/operator/participants/coldstore-1");
        Assert.Equal(["verify", "reject"], page.Actions().Where(a => a is "verify" or "reject"));
        // Only Warehouse ticked of the two roles applied for: only Warehouse is granted.
        var verified = await op.Post("/console/operator/participants/coldstore-1?handler=verify", page.Form("verify"), ("roles", "Warehouse"));
        Assert.True(verified.Status == HttpStatusCode.Redirect, verified.ToString());
        var state = await api.Get("/api/v1/participants/coldstore-1", "operator");
        Assert.Contains("\"status\":\"Verified\"", state.Body);
        Assert.Contains("\"roles\":[\"Warehouse\"]", state.Body);
        // The same form sent again is the first answer replayed: nothing more is written.
        var before = await api.Scalar("SELECT count(*) FROM events WHERE stream_id = 'participant-coldstore-1'");
        var again = await op.Post("/console/operator/participants/coldstore-1?handler=verify", page.Form("verify"), ("roles", "Warehouse"));
        Assert.True(again.Status == HttpStatusCode.Redirect && again.Replayed, again.ToString());
        // Revoking its only role is the decider's refusal, shown on the page with the API's status; nothing is written.
        page = await op.Get("/console/operator/participants/coldstore-1");
        var refused = await op.Post("/console/operator/participants/coldstore-1?handler=revoke", page.Form("revoke"), ("role", "Warehouse"));
        Assert.True((int)refused.Status is >= 400 and < 500, refused.ToString());
        Assert.Contains("A participant keeps at least one role", refused.Html);
        Assert.Equal(before, await api.Scalar("SELECT count(*) FROM events WHERE stream_id = 'participant-coldstore-1'"));
    }

    [Fact]
    public async Task suspension_roles_and_users_go_through_the_participant_commands_and_a_new_user_can_sign_in()
    {
        using var op = await ConsoleClient.SignedIn(api, "operator");
        var page = await op.Get("/console/operator/participants/log-1");
        Assert.Contains("suspend", page.Actions());
        Assert.True((await op.Post("/console/operator/participants/log-1?handler=grant", page.Form("grant"), ("role", "Owner"))).Status == HttpStatusCode.Redirect);
        page = await op.Get("/console/operator/participants/log-1");
        var suspended = await op.Post("/console/operator/participants/log-1?handler=suspend", page.Form("suspend"), ("reason", "licence under review"));
        Assert.Equal(HttpStatusCode.Redirect, suspended.Status);
        Assert.Contains("\"suspended\":true", (await api.Get("/api/v1/participants/log-1", "operator")).Body);
        Assert.Contains("\"Owner\"", (await api.Get("/api/v1/participants/log-1", "operator")).Body);
        page = await op.Get("/console/operator/participants/log-1");
        Assert.Contains("reinstate", page.Actions());
        Assert.Equal(HttpStatusCode.Redirect, (await op.Post("/console/operator/participants/log-1?handler=reinstate", page.Form("reinstate"))).Status);
        Assert.Contains("\"suspended\":false", (await api.Get("/api/v1/participants/log-1", "operator")).Body);

        page = await op.Get("/console/operator/participants/log-1");
        var created = await op.Post("/console/operator/participants/log-1?handler=createuser", page.Form("createuser"),
            ("login", "dispatcher@log-1"), ("displayName", "Dispatcher Wang"), ("password", "another long passphrase"));
        Assert.True(created.Status == HttpStatusCode.Redirect, created.ToString());
        Assert.Equal(HttpStatusCode.OK, (await api.Login("dispatcher@log-1", "another long passphrase")).Status);
        page = await op.Get("/console/operator/participants/log-1");
        Assert.Contains("data-login=\"dispatcher@log-1\"", page.Html);
        var disabled = await op.Post("/console/operator/participants/log-1?handler=disableuser", page.Form("disableuser"), ("login", "dispatcher@log-1"), ("reason", "left the company"));
        Assert.Equal(HttpStatusCode.Redirect, disabled.Status);
        Assert.NotEqual(HttpStatusCode.OK, (await api.Login("dispatcher@log-1", "another long passphrase")).Status);

        // A bad password is the API's refusal, on the page; no user appears.
        page = await op.Get("/console/operator/participants/log-1");
        var weak = await op.Post("/console/operator/participants/log-1?handler=createuser", page.Form("createuser"),
            ("login", "weak@log-1"), ("displayName", "Weak"), ("password", "short"));
        Assert.True((int)weak.Status is >= 400 and < 500, weak.ToString());
        Assert.Equal(0, await api.Scalar("SELECT count(*) FROM events WHERE stream_id = 'user-weak@log-1'"));
    }

    [Fact]
    public async Task the_operator_pages_are_the_operators_and_the_regulators_pages_the_regulators()
    {
        using var regulator = await ConsoleClient.SignedIn(api, "reg-1");
        using var owner = await ConsoleClient.SignedIn(api, "owner-a");
        foreach (var path in new[] { "/console/operator/participants", "/console/operator/participants/owner-a" })
        {
            var refused = await regulator.Get(path);
            Assert.True(refused.Status == HttpStatusCode.Redirect && refused.Location!.Contains("/console/denied"), path + " " + refused);
        }
        foreach (var path in new[] { "/console/regulator/holdings", "/console/regulator/audit", "/console/operator/ledger", "/console/regulator/ledger-export?from=1&to=1" })
        {
            var refused = await owner.Get(path);
            Assert.True(refused.Status is HttpStatusCode.Redirect or HttpStatusCode.Forbidden, path + " " + refused);
            Assert.True(refused.Status == HttpStatusCode.Forbidden || refused.Location!.Contains("/console/denied"), path + " " + refused);
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await api.Get("/api/v1/participants", "owner-a")).Status);
        var badStatus = await api.Get("/api/v1/participants?status=None", "operator");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badStatus.Status);
        Assert.Contains("status", badStatus.Body);
    }

    [Fact]
    public async Task holdings_as_of_a_time_show_the_owner_then_and_every_regulator_read_in_the_console_is_audited()
    {
        var id = await Active(api);
        await api.ProjectionsCaughtUp();
        await Task.Delay(1100); // the as-of time must fall strictly between the registration and the offer
        var between = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        await Task.Delay(1100);
        await Ok(api.Post($"/api/v1/assets/{id}/transfer-offer", "owner-a", new { toId = "buyer-b" }));
        await Ok(api.Post($"/api/v1/assets/{id}/transfer-offer/accept", "buyer-b", null));
        await api.ProjectionsCaughtUp();

        using var regulator = await ConsoleClient.SignedIn(api, "reg-1");
        var then = await regulator.Get($"/console/regulator/holdings?participant=owner-a&asOf={Uri.EscapeDataString(between)}");
        Assert.True(then.Status == HttpStatusCode.OK, then.ToString());
        Assert.Contains($"/console/assets/{id}", Section(then.Html, "Owned"));
        var now = await regulator.Get("/console/regulator/holdings?participant=owner-a");
        Assert.DoesNotContain($"/console/assets/{id}", Section(now.Html, "Owned"));
        var buyerNow = await regulator.Get("/console/regulator/holdings?participant=buyer-b");
        Assert.Contains($"/console/assets/{id}", Section(buyerNow.Html, "Owned"));
        // A time that is no time is the API's 422 with its message.
        var bad = await regulator.Get("/console/regulator/holdings?participant=owner-a&asOf=yesterday");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.Status);
        Assert.Contains("asOf must be an ISO-8601", bad.Html);

        await regulator.Get("/console/trace?commodity=crude+oil");
        var audit = await regulator.Get("/console/regulator/audit?participant=reg-1");
        Assert.True(audit.Status == HttpStatusCode.OK, audit.ToString());
        Assert.Contains("/console/regulator/holdings", audit.Html);
        Assert.Contains("participant:owner-a", audit.Html);
        Assert.Contains("/console/trace", audit.Html);
        Assert.True(await api.Scalar("SELECT count(*) FROM access_audit WHERE participant_id = 'reg-1' AND path = '/console/regulator/holdings' AND status = 422") >= 1);
    }

    [Fact]
    public async Task the_ledger_page_shows_the_latest_checkpoint_and_the_regulator_downloads_a_log_range()
    {
        await Active(api);
        using var regulator = await ConsoleClient.SignedIn(api, "reg-1");
        var latest = await api.Get("/api/v1/ledger/checkpoints/latest", "reg-1");
        for (var i = 0; i < 50 && latest.Status != HttpStatusCode.OK; i++) { await Task.Delay(200); latest = await api.Get("/api/v1/ledger/checkpoints/latest", "reg-1"); }
        Assert.Equal(HttpStatusCode.OK, latest.Status);
        var page = await regulator.Get("/console/operator/ledger");
        Assert.True(page.Status == HttpStatusCode.OK, page.ToString());
        Assert.Matches("data-tree-size=\"[1-9][0-9]*\"", page.Html);
        Assert.DoesNotContain("id=\"tg-h\"", page.Html); // chain targets are the operator's
        using var op = await ConsoleClient.SignedIn(api, "operator");
        Assert.Contains("id=\"tg-h\"", (await op.Get("/console/operator/ledger")).Html);

        var zip = await regulator.GetBytes("/console/regulator/ledger-export?from=1&to=2&wait=30");
        Assert.True(zip.Status == HttpStatusCode.OK, zip.Status + " " + System.Text.Encoding.UTF8.GetString(zip.Body));
        Assert.Equal((byte)'P', zip.Body[0]);
        Assert.Equal((byte)'K', zip.Body[1]);
        Assert.True(await api.Scalar("SELECT count(*) FROM access_audit WHERE participant_id = 'reg-1' AND resource = 'ledger:1-2'") >= 1);
    }

    [Fact]
    public async Task anyone_searches_the_registry_and_sees_only_what_the_disclosure_rule_allows_with_the_search_audited()
    {
        var number = $"WR-{Guid.NewGuid():N}";
        var registered = await api.Post("/api/v1/assets", "owner-a", Receipt(number));
        var id = registered.Json["assetId"]!.GetValue<string>();
        await Ok(api.Post($"/api/v1/assets/{id}/confirmations", "wh-1", new { approve = true }));
        await Ok(api.Post($"/api/v1/assets/{id}/confirmations", "tc-1", new { approve = true }));
        await Ok(api.Post($"/api/v1/assets/{id}/transfer-out", "owner-a", new { venueId = "bank-1", purpose = "Financing" }));
        await api.ProjectionsCaughtUp();
        var query = $"/console/registry?warehouseId=wh-1&receiptNumber={Uri.EscapeDataString(number)}";

        using var stranger = await ConsoleClient.SignedIn(api, "buyer-b");
        var seen = await stranger.Get(query);
        Assert.True(seen.Status == HttpStatusCode.OK, seen.ToString());
        Assert.Contains("data-outcome=\"encumbered\"", seen.Html);
        Assert.Contains("data-lock=\"Custody\"", seen.Html);
        Assert.Contains("bank-1", seen.Html);
        // Public disclosure: neither the owner nor the quantity.
        Assert.DoesNotContain("owner-a", seen.Html[seen.Html.IndexOf("<article", StringComparison.Ordinal)..]);
        Assert.DoesNotContain("1200.5", seen.Html);
        // The answer's reference is the access-audit record of this very search.
        var reference = System.Text.RegularExpressions.Regex.Match(seen.Html, "<code data-reference>([0-9a-f-]{36})</code>").Groups[1].Value;
        Assert.Equal(1, await api.Scalar($"SELECT count(*) FROM access_audit WHERE id = '{reference}' AND participant_id = 'buyer-b' AND path = '/console/registry' AND resource = 'asset:{id}'"));

        using var owner = await ConsoleClient.SignedIn(api, "owner-a");
        var full = await owner.Get(query);
        Assert.Contains("1200.5 bbl", full.Html);
        Assert.Contains("(owner-a)", full.Html);

        Assert.Contains("data-outcome=\"not-found\"", (await stranger.Get("/console/registry?warehouseId=wh-1&receiptNumber=WR-NEVER")).Html);
        var half = await stranger.Get("/console/registry?warehouseId=wh-1");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, half.Status);
        Assert.Contains("and receiptNumber together", half.Html);
    }

    [Fact]
    public async Task a_receivable_and_an_intangible_are_registered_from_their_own_forms_with_the_apis_messages()
    {
        using var owner = await ConsoleClient.SignedIn(api, "owner-a");
        var bill = $"BILL-{Guid.NewGuid():N}";
        var receivable = await owner.Post("/console/register?kind=Receivable", (await owner.Get("/console/register?kind=Receivable")).Form(),
            ("ownerId", "owner-a"), ("debtorId", "debtor-1"), ("billNumber", bill), ("amount", "250000.00"), ("currency", "CNY"), ("dueDate", "2027-06-30"));
        Assert.True(receivable.Status == HttpStatusCode.Redirect, receivable.ToString());
        Assert.Equal(1, await api.Scalar($"SELECT count(*) FROM events WHERE type = 'asset-registered' AND data->>'kind' = 'Receivable' AND data->'details'->>'billNumber' = '{bill}'"));
        Assert.Contains("250000 CNY", (await owner.Get(receivable.Location!)).Html);

        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Guid.NewGuid().ToByteArray()));
        var form = (await owner.Get("/console/register?kind=Intangible")).Form();
        var badHash = await owner.Post("/console/register?kind=Intangible", form, ("ownerId", "owner-a"), ("title", "Patent CN 2026 1 0000001"), ("contentSha256", "not-a-hash"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badHash.Status);
        Assert.Contains("aria-invalid=\"true\"", badHash.Html);
        var intangible = await owner.Post("/console/register?kind=Intangible", (await owner.Get("/console/register?kind=Intangible")).Form(),
            ("ownerId", "owner-a"), ("title", "Patent CN 2026 1 0000001"), ("contentSha256", sha), ("mediaType", "application/pdf"));
        Assert.True(intangible.Status == HttpStatusCode.Redirect, intangible.ToString());
        Assert.Equal(1, await api.Scalar($"SELECT count(*) FROM events WHERE type = 'asset-registered' AND data->'details'->>'contentSha256' = '{sha}'"));
    }

    [Fact]
    public async Task anyone_searches_the_security_registrations_by_the_debtors_credit_code()
    {
        var made = await api.Post("/api/v1/registrations", "bank-1", new
        {
            debtor = new { name = "Console Debtor Ltd.", creditCode = "91330100MA27XL0E3K" },
            collateral = new { kind = "Receivables", description = "All receivables of 2026." }, termMonths = 6,
        });
        Assert.True(made.Status == HttpStatusCode.Created, made.ToString());
        await api.ProjectionsCaughtUp();
        using var stranger = await ConsoleClient.SignedIn(api, "buyer-b");
        var found = await stranger.Get("/console/registrations?creditCode=91330100MA27XL0E3K");
        Assert.True(found.Status == HttpStatusCode.OK, found.ToString());
        Assert.Contains($"data-registration=\"{made.Json["number"]!.GetValue<string>()}\"", found.Html);
        Assert.Contains("All receivables of 2026.", found.Html);
        // The same search as a certificate, downloaded under the cookie: a search bundle that verifies offline.
        var link = System.Text.RegularExpressions.Regex.Match(found.Html, "href=\"([^\"]+)\" data-certificate").Groups[1].Value;
        Assert.Equal("/console/registrations/certificate?creditCode=91330100MA27XL0E3K", System.Net.WebUtility.HtmlDecode(link));
        var (status, zip) = await stranger.GetBytes(System.Net.WebUtility.HtmlDecode(link) + "&wait=30");
        Assert.Equal(HttpStatusCode.OK, status);
        var ledgerKey = (await api.Get("/api/v1/ledger/keys", null)).Json["ledgerVerifierKey"]!.GetValue<string>();
        var report = Evidence.Verify(zip, new AssetLedger.Ledger.Evidence.VerifierOptions(LedgerKey: ledgerKey, Policy: new AssetLedger.Ledger.Evidence.TrustPolicy(WitnessQuorum: 0)));
        Assert.True(report.Verified, Evidence.Describe(report));
        Assert.Contains(made.Json["number"]!.GetValue<string>(), System.Text.Encoding.UTF8.GetString(Evidence.Files(zip)["search.json"]));
        var bad = await stranger.Get("/console/registrations?creditCode=91330100MA27XL0E3X");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.Status);
        Assert.Contains("valid check character", bad.Html);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await stranger.Get("/console/registrations?creditCode=91330100MA27XL0E3K&debtorName=x")).Status);
    }

    /// <summary>The part of a holdings page under one relation's heading.</summary>
    static string Section(string html, string relation)
    {
        var start = html.IndexOf($"id=\"rel-{relation}\"", StringComparison.Ordinal);
        if (start < 0) return "";
        var end = html.IndexOf("</section>", start, StringComparison.Ordinal);
        return html[start..end];
    }
}
