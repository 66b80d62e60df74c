using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using AssetLedger.Api.Tests.Support;
using Microsoft.IdentityModel.Tokens;
using static AssetLedger.Api.Tests.Support.AssetScenario;

namespace AssetLedger.Api.Tests;

/// <summary>Tokens, logins, account management, the participant lifecycle and signed commands, against the running API.</summary>
public sealed class security_over_http(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    public Task InitializeAsync() => Cast(api);
    public Task DisposeAsync() => Task.CompletedTask;

    static string B64(byte[] b) => Base64UrlEncoder.Encode(b);

    string Forge(Action<JwtPayload> edit, SigningCredentials? with = null, string alg = "ES256")
    {
        var payload = new JwtPayload("assetledger", "assetledger-api", [new Claim("sub", "owner-a.fixture"), new Claim("participant", "owner-a"), new Claim("role", "Regulator")],
            DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(10));
        edit(payload);
        if (with is not null) return new JwtSecurityTokenHandler().WriteToken(new JwtSecurityToken(new JwtHeader(with), payload));
        var header = B64(Encoding.UTF8.GetBytes($$"""{"alg":"{{alg}}","typ":"JWT"}"""));
        return $"{header}.{payload.Base64UrlEncode()}.";
    }

    async Task<Reply> WithToken(string token) => await api.SendRaw(HttpMethod.Get, "/api/v1/assets?limit=1", token, null);

    [Fact]
    public async Task only_health_token_and_openapi_answer_without_a_token()
    {
        Assert.Equal(HttpStatusCode.OK, (await api.SendRaw(HttpMethod.Get, "/health/live", null, null)).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.SendRaw(HttpMethod.Get, "/swagger/v1/swagger.json", null, null)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.SendRaw(HttpMethod.Post, "/api/v1/auth/token", null, "{}")).Status);
        foreach (var (method, path) in new[] { ("GET", "/api/v1/assets"), ("POST", "/api/v1/assets"), ("GET", "/api/v1/participants/owner-a"), ("POST", "/api/v1/participants"),
                     ("POST", "/api/v1/users"), ("GET", "/api/v1/users/me"), ("GET", $"/api/v1/assets/{Guid.NewGuid():N}/history"), ("GET", "/api/v1/ledger/integrity") })
        {
            var r = await api.SendRaw(new HttpMethod(method), path, null, method == "POST" ? "{}" : null);
            Assert.True(r.Status == HttpStatusCode.Unauthorized, $"{method} {path} → {r}");
            Assert.Equal("auth.required", r.Code);
        }
    }

    [Fact]
    public async Task expired_tampered_foreign_and_unsigned_tokens_are_refused()
    {
        var good = await api.Token("owner-a");
        Assert.Equal(HttpStatusCode.OK, (await WithToken(good)).Status);

        var parts = good.Split('.');
        var claims = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("\"participant\":\"owner-a\"", "\"participant\":\"reg-1\"");
        var tampered = $"{parts[0]}.{B64(Encoding.UTF8.GetBytes(claims))}.{parts[2]}";
        Assert.Equal(HttpStatusCode.Unauthorized, (await WithToken(tampered)).Status);

        using var foreignKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var foreign = Forge(_ => { }, new SigningCredentials(new ECDsaSecurityKey(foreignKey), SecurityAlgorithms.EcdsaSha256));
        var r = await WithToken(foreign);
        Assert.Equal(HttpStatusCode.Unauthorized, r.Status);

        var none = await WithToken(Forge(_ => { }, alg: "none"));
        Assert.Equal(HttpStatusCode.Unauthorized, none.Status);

        var hmac = Forge(_ => { }, new SigningCredentials(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)), SecurityAlgorithms.HmacSha256));
        Assert.Equal(HttpStatusCode.Unauthorized, (await WithToken(hmac)).Status);

        // Expired: signed with the registry's own key, but an hour old.
        using var ownKey = ECDsa.Create();
        ownKey.ImportFromPem(File.ReadAllText(Path.Combine(api.KeyDirectory, "jwt-signing.pem")));
        var old = new JwtSecurityToken("assetledger", "assetledger-api", [new Claim("sub", "owner-a.fixture"), new Claim("participant", "owner-a")],
            DateTime.UtcNow.AddHours(-2), DateTime.UtcNow.AddHours(-1), new SigningCredentials(new ECDsaSecurityKey(ownKey), SecurityAlgorithms.EcdsaSha256));
        var expired = await WithToken(new JwtSecurityTokenHandler().WriteToken(old));
        Assert.Equal(HttpStatusCode.Unauthorized, expired.Status);
        Assert.Contains("expired", expired.Json["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task a_token_cannot_claim_roles_its_participant_does_not_hold()
    {
        // Roles are read from the participant's stream on every request, not trusted from the token.
        using var ownKey = ECDsa.Create();
        ownKey.ImportFromPem(File.ReadAllText(Path.Combine(api.KeyDirectory, "jwt-signing.pem")));
        var real = new JwtSecurityTokenHandler().ReadJwtToken(await api.Token("owner-a"));
        // The real session version, so only the roles are forged.
        var escalated = Forge(p => p["sv"] = real.Claims.First(c => c.Type == "sv").Value, new SigningCredentials(new ECDsaSecurityKey(ownKey), SecurityAlgorithms.EcdsaSha256));
        Assert.Equal(HttpStatusCode.Forbidden, (await api.SendRaw(HttpMethod.Get, "/api/v1/ledger/integrity", escalated, null)).Status);
    }

    [Fact]
    public async Task a_refresh_token_works_once()
    {
        await api.Token("bank-1");
        var login = await api.Login(ApiServer.LoginOf("bank-1"), ApiServer.UserPassword);
        var refresh = login.Json["refreshToken"]!.GetValue<string>();
        var first = await api.SendRaw(HttpMethod.Post, "/api/v1/auth/token", null, $$"""{"refreshToken":"{{refresh}}"}""");
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.OK, (await WithToken(first.Json["accessToken"]!.GetValue<string>())).Status);
        var again = await api.SendRaw(HttpMethod.Post, "/api/v1/auth/token", null, $$"""{"refreshToken":"{{refresh}}"}""");
        Assert.Equal(HttpStatusCode.Unauthorized, again.Status);
        Assert.Equal("auth.invalid_refresh_token", again.Code);
    }

    [Fact]
    public async Task five_wrong_passwords_back_off_that_login_from_that_address_and_it_says_so()
    {
        await api.Token("log-1");
        var login = ApiServer.LoginOf("log-1");
        for (var i = 0; i < 5; i++) Assert.Equal("auth.invalid_credentials", (await api.Login(login, "wrong password " + i)).Code);
        var waiting = await api.Login(login, ApiServer.UserPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, waiting.Status);
        Assert.Equal("auth.login_backoff", waiting.Code);
        Assert.Equal("auth.invalid_credentials", (await api.Login("no-such-user", "whatever")).Code);
    }

    [Fact]
    public async Task a_disabled_user_cannot_log_in_and_its_tokens_stop_working()
    {
        Assert.Equal(HttpStatusCode.Created, (await api.Post("/api/v1/users", "wh-1", new { login = "clerk@wh-1", participantId = "wh-1", displayName = "Clerk", password = "clerk password 1" })).Status);
        var spy = await api.Post("/api/v1/users", "wh-2", new { login = "spy@wh-1", participantId = "wh-1", displayName = "Spy", password = "spy password 1" });
        Assert.Equal(HttpStatusCode.Forbidden, spy.Status);
        Assert.Equal("user.not_permitted", spy.Code);
        var token = (await api.Login("clerk@wh-1", "clerk password 1")).Json["accessToken"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await WithToken(token)).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.Post("/api/v1/users/clerk@wh-1/disable", "wh-1", new { reason = "left the company" })).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await WithToken(token)).Status);
        Assert.Equal("auth.user_disabled", (await api.Login("clerk@wh-1", "clerk password 1")).Code);
    }

    [Fact]
    public async Task a_user_changes_their_own_password()
    {
        Assert.Equal(HttpStatusCode.Created, (await api.Post("/api/v1/users", "operator", new { login = "pw@owner-a", participantId = "owner-a", displayName = "PW", password = "first password 1" })).Status);
        var token = (await api.Login("pw@owner-a", "first password 1")).Json["accessToken"]!.GetValue<string>();
        var change = await api.SendRaw(HttpMethod.Post, "/api/v1/users/pw@owner-a/password", token, """{"password":"second password 2"}""");
        Assert.Equal(HttpStatusCode.OK, change.Status);
        Assert.Equal("auth.invalid_credentials", (await api.Login("pw@owner-a", "first password 1")).Code);
        // The change ended the user's sessions, the one it was made in too: the user logs in again.
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.SendRaw(HttpMethod.Get, "/api/v1/users/me", token, null)).Status);
        var again = (await api.Login("pw@owner-a", "second password 2")).Json["accessToken"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await api.SendRaw(HttpMethod.Post, "/api/v1/users/pw@owner-a/password", again, """{"password":"short"}""")).Status);
    }

    [Fact]
    public async Task an_applicant_acts_only_after_the_operator_verifies_it_and_not_while_suspended()
    {
        var apply = await api.SendRaw(HttpMethod.Post, "/api/v1/participants/applications", null, """
            {"id":"wh-new","name":"Tianjin Port Storage Co.","creditCode":"91350100M000100Y43","contact":"Li Na +86 22 5555 0101",
             "roles":["Warehouse"],"adminLogin":"lina@wh-new","adminPassword":"a long passphrase"}
            """);
        Assert.Equal(HttpStatusCode.Created, apply.Status);
        Assert.Equal("Applied", apply.Json["status"]!.GetValue<string>());
        var bad = await api.SendRaw(HttpMethod.Post, "/api/v1/participants/applications", null, """
            {"id":"wh-bad","name":"x","creditCode":"91350100M000100Y44","contact":"x","roles":["Warehouse"],"adminLogin":"x@wh-bad","adminPassword":"a long passphrase"}
            """);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.Status);
        Assert.Equal("creditCode", bad.Json["field"]!.GetValue<string>());

        var token = (await api.Login("lina@wh-new", "a long passphrase")).Json["accessToken"]!.GetValue<string>();
        var receipt = """{"kind":"WarehouseReceipt","ownerId":"wh-new","warehouseId":"wh-1","receiptNumber":"APPLY-1","commodity":"soybeans","quantity":"30","unit":"t"}""";
        var before = await api.SendRaw(HttpMethod.Post, "/api/v1/assets", token, receipt);
        Assert.Equal(HttpStatusCode.Forbidden, before.Status);
        Assert.Equal("auth.applicant_unverified", before.Code);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.Post("/api/v1/participants/wh-new/verification", "owner-a", new { approve = true })).Status);
        var verified = await api.Post("/api/v1/participants/wh-new/verification", "operator", new { approve = true, roles = new[] { "Owner", "Warehouse" } });
        Assert.Equal("Verified", verified.Json["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Created, (await api.SendRaw(HttpMethod.Post, "/api/v1/assets", token, receipt)).Status);

        Assert.Equal(HttpStatusCode.OK, (await api.Post("/api/v1/participants/wh-new/suspension", "operator", new { reason = "licence expired" })).Status);
        // The suspension ended the session; a new login reads, but cannot act.
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.SendRaw(HttpMethod.Post, "/api/v1/assets", token, receipt.Replace("APPLY-1", "APPLY-2"))).Status);
        token = (await api.Login("lina@wh-new", "a long passphrase")).Json["accessToken"]!.GetValue<string>();
        var suspended = await api.SendRaw(HttpMethod.Post, "/api/v1/assets", token, receipt.Replace("APPLY-1", "APPLY-2"));
        Assert.Equal("participant.inactive", suspended.Code);
        Assert.Equal(HttpStatusCode.OK, (await api.SendRaw(HttpMethod.Delete, "/api/v1/participants/wh-new/suspension", await api.Token("operator"), null)).Status);
        Assert.Equal(HttpStatusCode.Created, (await api.SendRaw(HttpMethod.Post, "/api/v1/assets", token, receipt.Replace("APPLY-1", "APPLY-3"))).Status);
    }

    [Fact]
    public async Task a_revoked_role_takes_effect_on_the_next_request()
    {
        await api.Participants(("reg-9", "Regulator"));
        Assert.Equal(HttpStatusCode.OK, (await api.Post("/api/v1/participants/reg-9/roles", "operator", new { role = "Owner" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.Get("/api/v1/ledger/integrity?from=1&to=1", "reg-9")).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.Send(HttpMethod.Delete, "/api/v1/participants/reg-9/roles/Regulator", "operator", null)).Status);
        api.ForgetToken("reg-9"); // the revocation ended reg-9's sessions (sessions_end_with_a_reset); a new login still lacks the role
        Assert.Equal(HttpStatusCode.Forbidden, (await api.Get("/api/v1/ledger/integrity?from=1&to=1", "reg-9")).Status);
    }

    [Fact]
    public async Task once_a_key_is_registered_commands_must_be_signed_and_the_signature_is_kept_in_the_event()
    {
        await api.Participants(("signer-1", "Owner"));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = key.ExportSubjectPublicKeyInfoPem();
        Assert.Equal(HttpStatusCode.OK, (await api.Post("/api/v1/participants/signer-1/signing-key", "signer-1", new { publicKey = pem })).Status);
        var body = $$"""{"kind":"WarehouseReceipt","ownerId":"signer-1","warehouseId":"wh-1","receiptNumber":"SIG-{{Guid.NewGuid():N}}","commodity":"copper","quantity":"25","unit":"t"}""";

        var unsigned = await api.Post("/api/v1/assets", "signer-1", body);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.Status);
        Assert.Equal("signature.invalid", unsigned.Code);

        var asset = Signing.NewAssetId();
        var headers = Signing.Headers(key, "/api/v1/assets", body, "sig-key-1", asset, 0);
        var signature = headers[0].Value;
        var wrong = await api.Post("/api/v1/assets", "signer-1", body, headers[0], headers[1], ("Idempotency-Key", "sig-key-2"));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        Assert.Contains("does not verify", wrong.Json["detail"]!.GetValue<string>());

        var signed = await api.Post("/api/v1/assets", "signer-1", body, headers);
        Assert.Equal(HttpStatusCode.Created, signed.Status);
        var id = signed.Json["assetId"]!.GetValue<string>();
        Assert.Equal(asset, id);
        var meta = await api.Text($"SELECT metadata->>'signature' FROM events WHERE stream_id = 'asset-{id}'");
        Assert.Contains(signature, meta);
        Assert.Contains("\"keyId\"", meta);
    }

    [Fact]
    public async Task ids_of_other_participants_assets_do_not_leak()
    {
        var id = await Active(api);
        foreach (var path in new[] { $"/api/v1/assets/{id}", $"/api/v1/assets/{id}/history" })
        {
            var r = await api.Get(path, "owner-z");
            Assert.Equal(HttpStatusCode.NotFound, r.Status);
            var missing = await api.Get(path.Replace(id, Guid.NewGuid().ToString("N")), "owner-z");
            Assert.Equal(r.Json["code"]!.GetValue<string>(), missing.Json["code"]!.GetValue<string>());
        }
        Assert.Equal(HttpStatusCode.NotFound, (await api.Post($"/api/v1/assets/{id}/transfer-out", "owner-z", new { venueId = "bank-1", purpose = "Financing" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Post($"/api/v1/assets/{id}/amendments", "owner-z", new { description = "x" }, ("If-Match", "\"1\""))).Status);
    }

    [Fact]
    public async Task refused_authorisations_and_regulator_reads_are_in_the_access_audit()
    {
        var id = await Active(api);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.Get("/api/v1/ledger/integrity?from=1&to=1", "owner-z")).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.Get($"/api/v1/assets/{id}", "reg-1")).Status);
        var refused = (await api.Get("/api/v1/audit/access?participantId=owner-z&limit=50", "reg-1")).Json["items"]!.AsArray();
        Assert.Contains(refused, r => r!["path"]!.GetValue<string>() == "/api/v1/ledger/integrity" && r["status"]!.GetValue<int>() == 403);
        var reads = (await api.Get("/api/v1/audit/access?participantId=reg-1&limit=50", "operator")).Json["items"]!.AsArray();
        Assert.Contains(reads, r => r!["path"]!.GetValue<string>() == $"/api/v1/assets/{id}" && r["status"]!.GetValue<int>() == 200);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.Get("/api/v1/audit/access", "owner-a")).Status);
    }
}
