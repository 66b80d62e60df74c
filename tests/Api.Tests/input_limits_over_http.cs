using System.Net;
using System.Text;
using System.Text.Json;
using AssetLedger.Api.Tests.Support;
using static AssetLedger.Api.Tests.Support.AssetScenario;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 14 item 7: a 100,000-character unfreeze or disable reason, contact, and a 1,000,000-entry roles list were
/// accepted. Every one is now refused by its Domain limit with a problem naming the field, and nothing is recorded.
/// </summary>
public sealed class input_limits_over_http(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    public Task InitializeAsync() => Cast(api);
    public Task DisposeAsync() => Task.CompletedTask;

    static readonly string TooLong = new('x', 100_000);

    async Task AssertRefused(Reply r, HttpStatusCode status, string? field, long eventsBefore)
    {
        Assert.True(r.Status == status, r.ToString());
        Assert.Equal("application/problem+json", r.ContentType);
        if (field is not null) Assert.Equal(field, r.Json["field"]?.GetValue<string>());
        Assert.Equal(eventsBefore, await api.Scalar("SELECT count(*) FROM events"));
    }

    /// <summary>
    /// The token request publishes its limits (login 64, password 200, refresh token 128) and keeps them: one character
    /// more is a 400 naming the field, before any lookup, and such requests do not count as failed logins, so a stranger
    /// cannot lock an account out with values no account can have.
    /// </summary>
    [Theory]
    [InlineData("login")]
    [InlineData("password")]
    [InlineData("refreshToken")]
    public async Task a_token_request_field_beyond_its_limit_is_refused_and_counts_as_no_failure(string field)
    {
        await api.Token("log-1");
        var login = ApiServer.LoginOf("log-1");
        object body = field switch
        {
            "login" => new { login = new string('a', 65), password = ApiServer.UserPassword },
            "password" => new { login, password = new string('p', 201) },
            _ => new { refreshToken = new string('r', 129) },
        };
        for (var i = 0; i < 15; i++)
        {
            var r = await api.Post("/api/v1/auth/token", null, body);
            Assert.True(r.Status == HttpStatusCode.BadRequest, r.ToString());
            Assert.Equal(field, r.Json["field"]?.GetValue<string>());
        }
        var ok = await api.Post("/api/v1/auth/token", null, new { login, password = ApiServer.UserPassword });
        Assert.True(ok.Status == HttpStatusCode.OK, ok.ToString());
    }

    [Fact]
    public async Task an_unfreeze_reason_beyond_its_limit_is_refused_and_the_freeze_stays()
    {
        var id = await Active(api);
        await Ok(api.Post($"/api/v1/assets/{id}/freeze", "reg-1", new { reason = "court order", authority = "Judicial", freezeId = "f-limit" }));
        var before = await api.Scalar("SELECT count(*) FROM events");
        await AssertRefused(await api.Post($"/api/v1/assets/{id}/unfreeze", "reg-1", new { freezeId = "f-limit", reason = new string('x', 2001) }),
            HttpStatusCode.UnprocessableEntity, "reason", before);
        await AssertRefused(await api.Post($"/api/v1/assets/{id}/unfreeze", "reg-1", new { freezeId = "f-limit", reason = TooLong }),
            HttpStatusCode.UnprocessableEntity, "reason", before);
    }

    [Fact]
    public async Task a_disable_reason_beyond_its_limit_is_refused_and_the_user_stays_enabled()
    {
        await api.Token("log-1");
        var before = await api.Scalar("SELECT count(*) FROM events");
        await AssertRefused(await api.Post($"/api/v1/users/{ApiServer.LoginOf("log-1")}/disable", "operator", new { reason = TooLong }),
            HttpStatusCode.UnprocessableEntity, "reason", before);
    }

    [Fact]
    public async Task a_contact_beyond_its_limit_is_refused_when_the_operator_onboards()
    {
        var before = await api.Scalar("SELECT count(*) FROM events");
        await AssertRefused(await api.Post("/api/v1/participants", "operator", new { id = "long-contact", name = "Long Contact Co.", roles = new[] { "Owner" }, contact = new string('x', 201) }),
            HttpStatusCode.UnprocessableEntity, "contact", before);
    }

    [Fact]
    public async Task more_roles_than_there_are_is_refused_before_parsing_and_a_million_is_refused_by_size()
    {
        var before = await api.Scalar("SELECT count(*) FROM events");
        await AssertRefused(await api.Post("/api/v1/participants", "operator", new { id = "many-roles", name = "Many Roles Co.", roles = Enumerable.Repeat("Owner", 9) }),
            HttpStatusCode.UnprocessableEntity, "roles", before);

        var million = new StringBuilder("{\"id\":\"million\",\"name\":\"Million Co.\",\"creditCode\":\"91350100M000100Y43\",\"contact\":\"x\",\"adminLogin\":\"m@million\",")
            .Append("\"adminPassword\":\"a long passphrase\",\"roles\":[").AppendJoin(',', Enumerable.Repeat("\"Owner\"", 1_000_000)).Append("]}").ToString();
        var anonymous = await api.SendRaw(HttpMethod.Post, "/api/v1/participants/applications", null, million);
        await AssertRefused(anonymous, HttpStatusCode.RequestEntityTooLarge, null, before);
        Assert.Equal("request.too_large", anonymous.Code);
        Assert.Equal("The request is too large", anonymous.Json["title"]!.GetValue<string>());
        await AssertRefused(await api.Send(HttpMethod.Post, "/api/v1/participants", "operator", million), HttpStatusCode.RequestEntityTooLarge, null, before);
    }

    [Fact]
    public async Task an_anonymous_post_refuses_an_idempotency_key_beyond_its_limit()
    {
        var before = await api.Scalar("SELECT count(*) FROM events");
        var body = JsonSerializer.Serialize(new { id = "keyed", name = "Keyed Co.", creditCode = "91350100M000100Y43", contact = "x", roles = new[] { "Owner" },
            adminLogin = "admin@keyed", adminPassword = "a long passphrase" });
        await AssertRefused(await api.SendRaw(HttpMethod.Post, "/api/v1/participants/applications", null, body, ("Idempotency-Key", new string('k', 201))),
            HttpStatusCode.BadRequest, "Idempotency-Key", before);
    }

    [Fact]
    public async Task a_field_of_another_kind_is_refused_not_stored_unchecked()
    {
        var id = await Active(api);
        var before = await api.Scalar("SELECT count(*) FROM events");
        await AssertRefused(await api.Post($"/api/v1/assets/{id}/amendments", "owner-a", new { title = TooLong }), HttpStatusCode.UnprocessableEntity, "title", before);
        await AssertRefused(await api.Post($"/api/v1/assets/{id}/amendments", "owner-a", new { mediaType = "text/plain" }), HttpStatusCode.UnprocessableEntity, "mediaType", before);
        var receipt = JsonSerializer.SerializeToNode(Receipt())!.AsObject();
        receipt["debtorId"] = TooLong;
        await AssertRefused(await api.Post("/api/v1/assets", "owner-a", receipt.ToJsonString()), HttpStatusCode.UnprocessableEntity, "debtorId", before);
    }

    [Theory]
    [InlineData("/api/v1/assets?ownerId=", "ownerId")]
    [InlineData("/api/v1/assets?commodity=", "commodity")]
    [InlineData("/api/v1/ledger/anchors?limit=-1&x=", "limit")]
    [InlineData("/api/v1/registry/encumbrances?warehouseId=wh-1&receiptNumber=", "receiptNumber")]
    public async Task a_query_parameter_out_of_its_range_is_a_400_naming_it(string query, string field)
    {
        var r = await api.Get(query + (field == "limit" ? "y" : new string('x', 201)), "owner-a");
        Assert.True(r.Status == HttpStatusCode.BadRequest, r.ToString());
        Assert.Equal(field, r.Json["field"]?.GetValue<string>());
    }
}
