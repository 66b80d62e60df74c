using System.Net;
using System.Text.Json.Nodes;
using AssetLedger.Api.Tests.Support;
using static AssetLedger.Api.Tests.Support.AssetScenario;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 14 item 2: a NUL in any text reached PostgreSQL (22P05 in jsonb, 22021 in text) and answered 500. Every such
/// request is now a 4xx problem naming the field, and nothing changes: not the asset's version, not the log's size.
/// </summary>
public sealed class nul_bytes_are_refused(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    public Task InitializeAsync() => Cast(api);
    public Task DisposeAsync() => Task.CompletedTask;

    const string Nul = "a\u0000b";

    static JsonObject With(object body, string field, string value)
    {
        var json = System.Text.Json.JsonSerializer.SerializeToNode(body, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!.AsObject();
        json[field] = value;
        return json;
    }

    // (who, path under the asset or absolute, a valid body, the field that gets the NUL)
    public static TheoryData<string, string, string> BodyFields()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var f in new[] { "kind", "ownerId", "warehouseId", "receiptNumber", "commodity", "quantity", "unit", "description", "title", "mediaType", "contentSha256", "debtorId", "billNumber", "amount", "currency", "dueDate" })
            data.Add("owner-a", "register", f);
        foreach (var f in new[] { "commodity", "quantity", "unit", "description", "receiptNumber", "warehouseId" }) data.Add("owner-a", "/amendments", f);
        data.Add("tc-1", "/confirmations", "comment");
        foreach (var f in new[] { "reason", "authority", "freezeId" }) data.Add("reg-1", "/freeze", f);
        foreach (var f in new[] { "reason", "freezeId" }) data.Add("reg-1", "/unfreeze", f);
        foreach (var f in new[] { "sha256", "mediaType", "description" }) data.Add("owner-a", "/evidence", f);
        data.Add("", "login", "login");
        return data;
    }

    static object BodyFor(string path) => path switch
    {
        "register" => Receipt(),
        "/amendments" => new { commodity = "fuel oil" },
        "/confirmations" => new { approve = true, comment = "ok" },
        "/freeze" => new { reason = "court order", authority = "Judicial", freezeId = "f-1" },
        "/unfreeze" => new { reason = "lifted", freezeId = "f-1" },
        "/evidence" => new { sha256 = new string('a', 64), mediaType = "application/pdf", description = "scan" },
        "login" => new { login = "owner-a.fixture", password = "wrong password" },
        _ => throw new ArgumentOutOfRangeException(nameof(path)),
    };

    [Theory]
    [MemberData(nameof(BodyFields))]
    public async Task a_nul_in_a_body_field_is_a_4xx_problem_naming_it_and_changes_nothing(string who, string path, string field)
    {
        var id = path == "/confirmations" ? await Pending(api) : await Active(api);
        var body = With(BodyFor(path), field, Nul).ToJsonString();
        if (who.Length > 0) await api.Token(who); // a first token creates the fixture's user, which is an event of its own
        var (version, log) = ((await api.Get($"/api/v1/assets/{id}", "owner-a")).ETag, await api.Scalar("SELECT count(*) FROM events"));

        var r = path switch
        {
            "register" => await api.Send(HttpMethod.Post, "/api/v1/assets", who, body),
            "login" => await api.SendRaw(HttpMethod.Post, "/api/v1/auth/token", null, body),
            _ => await api.Send(HttpMethod.Post, $"/api/v1/assets/{id}{path}", who, body),
        };

        Refused(r, field);
        Assert.Equal(version, (await api.Get($"/api/v1/assets/{id}", "owner-a")).ETag);
        Assert.Equal(log, await api.Scalar("SELECT count(*) FROM events"));
    }

    [Theory]
    [InlineData("owner-a", "/api/v1/assets?ownerId={0}", "ownerId")]
    [InlineData("owner-a", "/api/v1/registry/encumbrances?key={0}", "key")]
    [InlineData("owner-a", "/api/v1/registry/encumbrances?warehouseId=wh-1&receiptNumber={0}", "receiptNumber")]
    [InlineData("reg-1", "/api/v1/trace/search?q={0}", "q")]
    [InlineData("reg-1", "/api/v1/trace/search?commodity={0}", "commodity")]
    public async Task a_nul_in_a_query_parameter_is_a_400_problem_naming_it(string who, string path, string field)
    {
        await api.Token(who);
        var log = await api.Scalar("SELECT count(*) FROM events");

        var r = await api.Get(string.Format(path, Uri.EscapeDataString(Nul)), who);

        Refused(r, field);
        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.Equal(log, await api.Scalar("SELECT count(*) FROM events"));
    }

    [Theory]
    [InlineData("commodity", "\"oil \\ud800\"")]
    [InlineData("quantity", "1e400")]
    public async Task a_signed_command_with_no_canonical_form_is_a_4xx_problem_naming_the_field(string field, string raw)
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        await api.Participants(("signer-n", "Owner"));
        var registered = await api.Post("/api/v1/participants/signer-n/signing-key", "signer-n", new { publicKey = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()) });
        Assert.True(registered.Status is HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.Conflict, registered.ToString());
        var log = await api.Scalar("SELECT count(*) FROM events");
        var body = $$"""{"kind":"WarehouseReceipt","ownerId":"signer-n","warehouseId":"wh-1","receiptNumber":"WR-N","commodity":"oil","unit":"t","{{field}}":{{raw}}}""";

        var r = await api.Send(HttpMethod.Post, "/api/v1/assets", "signer-n", body, ("Signature", Convert.ToBase64String(new byte[64])),
            ("Signature-Input", $"asset={Signing.NewAssetId()}; version=0; signed-at={Signing.Now()}"));

        Refused(r, field);
        Assert.Equal(log, await api.Scalar("SELECT count(*) FROM events"));
    }

    static void Refused(Reply r, string field)
    {
        Assert.True((int)r.Status is >= 400 and < 500, r.ToString());
        Assert.Equal("application/problem+json", r.ContentType);
        Assert.Equal(field, r.Json["field"]?.GetValue<string>());
    }
}
