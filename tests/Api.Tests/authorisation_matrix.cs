using System.Net;
using AssetLedger.Api.Tests.Support;

namespace AssetLedger.Api.Tests;

/// <summary>
/// The command table as an access matrix, written once as data: every asset endpoint × every kind of participant,
/// related to the asset ("own": its owner, named warehouse, confirming trading center, holding bank, offered buyer) or
/// not ("other"). Allowed → 2xx; may see the asset but not do this → 403; may not even see it → 404 (ids do not leak).
/// </summary>
public sealed class authorisation_matrix(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    /// <summary>The participants and why each is there.</summary>
    public static readonly (string Id, string Role, string Relation)[] Cast =
    [
        ("owner-a", "Owner", "own: registered and owns the asset"),
        ("owner-z", "Owner", "other"),
        ("wh-1", "Warehouse", "own: named custodian of the receipt"),
        ("wh-2", "Warehouse", "other"),
        ("tc-1", "TradingCenter", "own: confirmed the asset (pending: any trading center may confirm)"),
        ("tc-2", "TradingCenter", "other (pending: may still confirm)"),
        ("bank-1", "FinancialInstitution", "own: holds the asset when it is out"),
        ("bank-2", "FinancialInstitution", "other"),
        ("buyer-b", "Owner", "own: the assignee when an offer is pending"),
        ("debtor-1", "Debtor", "other"),
        ("log-1", "Logistics", "other"),
        ("reg-1", "Regulator", "reads all, freezes and unfreezes"),
        ("operator", "Operator", "reads all, changes no asset"),
    ];

    public enum State { Pending, Active, Offered, Out, Frozen }

    /// <summary>endpoint → the state it is tried in, who may do it, and who may see the asset but not do it. Everyone else: 404.</summary>
    public static readonly (string Name, string Method, string Path, string? Body, State State, string[] Allowed, string[] Forbidden)[] Matrix =
    [
        ("read", "GET", "", null, State.Active, ["owner-a", "wh-1", "tc-1", "reg-1", "operator"], []),
        ("read pending", "GET", "", null, State.Pending, ["owner-a", "wh-1", "tc-1", "tc-2", "reg-1", "operator"], []),
        ("read out", "GET", "", null, State.Out, ["owner-a", "wh-1", "tc-1", "bank-1", "reg-1", "operator"], []),
        ("history", "GET", "/history", null, State.Active, ["owner-a", "wh-1", "tc-1", "reg-1", "operator"], []),
        ("confirm", "POST", "/confirmations", """{"approve":true}""", State.Pending, ["wh-1", "tc-1", "tc-2"], ["owner-a", "reg-1", "operator"]),
        ("amend", "POST", "/amendments", """{"description":"matrix"}""", State.Active, ["owner-a"], ["wh-1", "tc-1", "reg-1", "operator"]),
        ("offer", "POST", "/transfer-offer", """{"toId":"buyer-b"}""", State.Active, ["owner-a"], ["wh-1", "tc-1", "reg-1", "operator"]),
        ("accept", "POST", "/transfer-offer/accept", null, State.Offered, ["buyer-b"], ["owner-a", "wh-1", "tc-1", "reg-1", "operator"]),
        ("decline", "POST", "/transfer-offer/decline", null, State.Offered, ["buyer-b"], ["owner-a", "wh-1", "tc-1", "reg-1", "operator"]),
        ("withdraw", "POST", "/transfer-offer/withdraw", null, State.Offered, ["owner-a"], ["buyer-b", "wh-1", "tc-1", "reg-1", "operator"]),
        ("transfer out", "POST", "/transfer-out", """{"venueId":"bank-1","purpose":"Financing"}""", State.Active, ["owner-a"], ["wh-1", "tc-1", "reg-1", "operator"]),
        ("return", "POST", "/return", null, State.Out, ["bank-1"], ["owner-a", "wh-1", "tc-1", "reg-1", "operator"]),
        ("freeze", "POST", "/freeze", """{"reason":"matrix"}""", State.Active, ["reg-1"], ["owner-a", "wh-1", "tc-1", "operator"]),
        ("unfreeze", "POST", "/unfreeze", """{"freezeId":"matrix-freeze"}""", State.Frozen, ["reg-1"], ["owner-a", "wh-1", "tc-1", "operator"]),
        ("cancel", "POST", "/cancel", """{"reason":"matrix"}""", State.Active, ["wh-1"], ["owner-a", "tc-1", "reg-1", "operator"]),
        ("evidence", "POST", "/evidence", """{"sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","mediaType":"application/pdf"}""",
            State.Active, ["owner-a", "wh-1", "tc-1"], ["reg-1", "operator"]),
    ];

    /// <summary>
    /// The chain records (区块链联盟配置) are the operator's alone: every other participant is answered 403, an anonymous
    /// caller 401. Rows run in order against the registry <see cref="ChainsSetUp"/> records, so the operator's call succeeds.
    /// </summary>
    public static readonly (string Name, string Method, string Path, string? Body)[] OperatorOnly =
    [
        ("chains", "GET", "/api/v1/chains", null),
        ("alliance", "GET", "/api/v1/chains/alliances/matrix-co", null),
        ("targets", "GET", "/api/v1/chains/targets", null),
        ("target", "GET", "/api/v1/chains/targets/matrix-target", null),
        ("register alliance", "POST", "/api/v1/chains/alliances", """{"allianceId":"matrix-2","name":"Second","members":[{"name":"Org One"}]}"""),
        ("add member", "POST", "/api/v1/chains/alliances/matrix-co/members", """{"name":"Org Two","mspId":"Org2MSP"}"""),
        ("register network", "POST", "/api/v1/chains/alliances/matrix-co/networks", """{"networkId":"besu-2","name":"Besu 2","kind":"evm","endpoints":["http://127.0.0.1:9545"],"chainId":7}"""),
        ("move network", "POST", "/api/v1/chains/alliances/matrix-co/networks/besu/endpoints", """{"endpoints":["http://127.0.0.1:8547"]}"""),
        ("add channel", "POST", "/api/v1/chains/alliances/matrix-co/networks/fab/channels", """{"name":"anchors"}"""),
        ("register contract", "POST", "/api/v1/chains/alliances/matrix-co/contracts", """{"contractId":"anchor-v2","networkId":"besu","abiVersion":"2"}"""),
        ("define target", "POST", "/api/v1/chains/alliances/matrix-co/targets", """{"name":"matrix-2","contractId":"anchor-v1","credentials":{"privateKeyEnv":"MATRIX_KEY"}}"""),
        ("change target contract", "POST", "/api/v1/chains/targets/matrix-target/contract", """{"contractId":"anchor-v2"}"""),
        ("change target credentials", "POST", "/api/v1/chains/targets/matrix-target/credentials", """{"credentials":{"privateKeyEnv":"MATRIX_KEY_2"}}"""),
        ("activate target", "POST", "/api/v1/chains/targets/matrix-target/activation", """{"active":true}"""),
        ("deactivate target", "POST", "/api/v1/chains/targets/matrix-target/activation", """{"active":false}"""),
    ];

    async Task ChainsSetUp()
    {
        await Ok201("/api/v1/chains/alliances", """{"allianceId":"matrix-co","name":"Matrix consortium","members":[{"name":"Org One","mspId":"Org1MSP"}]}""");
        await Ok201("/api/v1/chains/alliances/matrix-co/networks", """{"networkId":"besu","name":"Besu","kind":"evm","endpoints":["http://127.0.0.1:8545"],"chainId":1337}""");
        await Ok201("/api/v1/chains/alliances/matrix-co/networks", """{"networkId":"fab","name":"Fabric","kind":"fabric","endpoints":["http://127.0.0.1:7051"]}""");
        await Ok201("/api/v1/chains/alliances/matrix-co/contracts", """{"contractId":"anchor-v1","networkId":"besu","abiVersion":"1"}""");
        await Ok201("/api/v1/chains/alliances/matrix-co/targets", """{"name":"matrix-target","contractId":"anchor-v1","credentials":{"privateKeyFile":"/run/secrets/matrix.key"}}""");
    }

    async Task Ok201(string path, string body)
    {
        var r = await api.Send(HttpMethod.Post, path, "operator", body);
        Assert.True(r.Status == HttpStatusCode.Created, $"setting up: POST {path} → {r}");
    }

    [Fact]
    public async Task chain_records_answer_only_the_operator()
    {
        await ChainsSetUp();
        var failures = new List<string>();
        foreach (var (name, method, path, body) in OperatorOnly)
        {
            var anonymous = await api.Send(new HttpMethod(method), path, null, body);
            if (anonymous.Status != HttpStatusCode.Unauthorized) failures.Add($"{name} anonymous: expected 401, got {anonymous}");
            foreach (var (who, _, _) in Cast)
            {
                var r = await api.Send(new HttpMethod(method), path, who, body);
                var expected = who == "operator" ? "2xx" : "403";
                var actual = (int)r.Status is >= 200 and < 300 ? "2xx" : ((int)r.Status).ToString();
                if (actual != expected) failures.Add($"{name} by {who}: expected {expected}, got {r}");
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} cases differ:\n" + string.Join("\n", failures));
    }

    public async Task InitializeAsync() => await api.Participants(Cast.Where(c => c.Id != "operator").Select(c => (c.Id, c.Role)).ToArray());
    public Task DisposeAsync() => Task.CompletedTask;

    async Task<string> AssetIn(State state)
    {
        var r = await api.Post("/api/v1/assets", "owner-a", Support.AssetScenario.Receipt());
        var id = r.Json["assetId"]!.GetValue<string>();
        if (state == State.Pending) return id;
        await Ok($"/api/v1/assets/{id}/confirmations", "wh-1", """{"approve":true}""");
        await Ok($"/api/v1/assets/{id}/confirmations", "tc-1", """{"approve":true}""");
        switch (state)
        {
            case State.Offered: await Ok($"/api/v1/assets/{id}/transfer-offer", "owner-a", """{"toId":"buyer-b"}"""); break;
            case State.Out: await Ok($"/api/v1/assets/{id}/transfer-out", "owner-a", """{"venueId":"bank-1","purpose":"Financing"}"""); break;
            case State.Frozen: await Ok($"/api/v1/assets/{id}/freeze", "reg-1", """{"reason":"matrix","freezeId":"matrix-freeze"}"""); break;
        }
        return id;
    }

    async Task Ok(string path, string who, string body)
    {
        var r = await api.Send(HttpMethod.Post, path, who, body);
        Assert.True(r.Status == HttpStatusCode.OK, $"setting up: {who} POST {path} → {r}");
    }

    [Fact]
    public async Task every_endpoint_answers_every_participant_as_the_command_table_says()
    {
        var failures = new List<string>();
        var cases = 0;
        foreach (var (name, method, path, body, state, allowed, forbidden) in Matrix)
        foreach (var (who, _, _) in Cast)
        {
            cases++;
            var id = await AssetIn(state);
            var r = await api.Send(new HttpMethod(method), $"/api/v1/assets/{id}{path}", who, body ?? (method == "POST" ? "{}" : null));
            var expected = allowed.Contains(who) ? "2xx" : forbidden.Contains(who) ? "403" : "404";
            var actual = (int)r.Status is >= 200 and < 300 ? "2xx" : ((int)r.Status).ToString();
            if (actual != expected) failures.Add($"{name} by {who}: expected {expected}, got {r}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} cases differ:\n" + string.Join("\n", failures));
        Assert.Equal(Matrix.Length * Cast.Length, cases);
    }

    [Fact]
    public async Task the_list_shows_each_participant_only_what_it_may_read()
    {
        var id = await AssetIn(State.Active);
        for (var i = 0; i < 100 && (await api.Get("/health/ready", null)).Json["projectionLag"]!.GetValue<long>() > 0; i++) await Task.Delay(50);
        foreach (var (who, _, _) in Cast)
        {
            var ids = (await api.Get("/api/v1/assets?limit=500", who)).Json["items"]!.AsArray().Select(x => x!["id"]!.GetValue<string>()).ToList();
            var readable = Matrix.Single(m => m.Name == "read").Allowed.Contains(who);
            Assert.True(readable == ids.Contains(id), $"{who} {(readable ? "should" : "should not")} list the asset");
        }
    }
}
