using System.Net;
using AssetLedger.Api.Tests.Support;

namespace AssetLedger.Api.Tests;

public sealed class participants_over_http(ApiServer api) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task the_operator_exists_from_the_first_start()
    {
        var r = await api.Get("/api/v1/participants/operator", "operator");
        Assert.Equal(HttpStatusCode.OK, r.Status);
        Assert.Equal(["Operator"], r.Json["roles"]!.AsArray().Select(x => x!.GetValue<string>()));
    }

    [Fact]
    public async Task the_operator_registers_a_participant_once()
    {
        var r = await api.Post("/api/v1/participants", "operator", new { id = "wh-9", name = "Tianjin Port Storage", roles = new[] { "Warehouse" } });
        Assert.Equal(HttpStatusCode.Created, r.Status);
        Assert.Equal("/api/v1/participants/wh-9", r.Location);
        var again = await api.Post("/api/v1/participants", "operator", new { id = "wh-9", name = "x", roles = new[] { "Warehouse" } });
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Equal("participant.exists", again.Code);
    }

    [Theory]
    [InlineData("""{"id":"Bad Id","name":"x","roles":["Owner"]}""", "request.invalid")]
    [InlineData("""{"id":"ok-1","name":"","roles":["Owner"]}""", "participant.invalid")]
    [InlineData("""{"id":"ok-1","name":"x","roles":[]}""", "participant.invalid")]
    [InlineData("""{"id":"ok-1","name":"x","roles":["King"]}""", "request.invalid")]
    [InlineData("""{"id":"ok-1","name":"x","roles":["System"]}""", "participant.invalid")]
    [InlineData("""{"id":"system","name":"x","roles":["Owner"]}""", "participant.invalid")]
    public async Task bad_participants_are_422(string body, string code)
    {
        var r = await api.Post("/api/v1/participants", "operator", body);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, r.Status);
        Assert.Equal(code, r.Code);
    }

    [Fact]
    public async Task only_the_operator_registers_participants()
    {
        await api.Participants(("someone", "Owner"));
        var r = await api.Post("/api/v1/participants", "someone", new { id = "x-2", name = "x", roles = new[] { "Owner" } });
        Assert.Equal(HttpStatusCode.Forbidden, r.Status);
        Assert.Equal("participant.not_operator", r.Code);
    }

    [Fact]
    public async Task an_unknown_participant_is_404() =>
        Assert.Equal("participant.not_found", (await api.Get("/api/v1/participants/nobody-here", "operator")).Code);
}
