using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AssetLedger.Api.Tests.Support;
using AssetLedger.Application.Chains;
using AssetLedger.Application.Ports;

namespace AssetLedger.Api.Tests;

/// <summary>
/// The operator's chain records (区块链联盟配置) over HTTP: alliances, networks, contracts and targets, activation seen
/// by the anchor worker's port at once, and secrets that are named by file or variable but never accepted as values.
/// </summary>
public sealed class chain_records_over_http(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    const string HexKey = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
    const string KeyFile = "/run/secrets/besu-anchor.key";

    public Task InitializeAsync() => api.Participants(("owner-a", "Owner"), ("reg-1", "Regulator"));
    public Task DisposeAsync() => Task.CompletedTask;

    static string TlsRoot()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var cert = new CertificateRequest("CN=Org1 TLS CA", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return cert.ExportCertificatePem();
    }

    async Task<Reply> Created(string path, object body)
    {
        var r = await api.Post(path, "operator", body);
        Assert.True(r.Status == HttpStatusCode.Created, $"POST {path} → {r}");
        return r;
    }

    /// <summary>An alliance with an EVM network (chain 1337), a contract deployed on first use, and a target on it.</summary>
    async Task EvmAlliance(string alliance, string target)
    {
        await Created("/api/v1/chains/alliances", new { allianceId = alliance, name = $"{alliance} consortium", members = new[] { new { name = "Org One", mspId = "Org1MSP", participantId = "owner-a" } } });
        await Created($"/api/v1/chains/alliances/{alliance}/networks", new { networkId = "besu", name = "Besu", kind = "evm", endpoints = new[] { "http://127.0.0.1:8545", "http://127.0.0.1:8546" }, chainId = 1337 });
        await Created($"/api/v1/chains/alliances/{alliance}/contracts", new { contractId = "anchor-v1", networkId = "besu", abiVersion = "1" });
        await Created($"/api/v1/chains/alliances/{alliance}/targets", new { name = target, contractId = "anchor-v1", credentials = new { privateKeyFile = KeyFile } });
    }

    async Task<Reply> Activate(string target, bool active) => await api.Post($"/api/v1/chains/targets/{target}/activation", "operator", new { active });

    [Fact]
    public async Task the_operator_records_an_evm_alliance_and_activates_its_target()
    {
        await EvmAlliance("acme", "besu-main");
        var activated = await Activate("besu-main", true);
        Assert.Equal(HttpStatusCode.OK, activated.Status);
        Assert.True(activated.Json["active"]!.GetValue<bool>());

        var registry = (await api.Get("/api/v1/chains", "operator")).Json;
        var acme = registry["alliances"]!.AsArray().Single(a => a!["allianceId"]!.GetValue<string>() == "acme")!;
        Assert.Equal("Org1MSP", acme["members"]![0]!["mspId"]!.GetValue<string>());
        Assert.Equal(1337, acme["networks"]![0]!["chainId"]!.GetValue<long>());
        Assert.True(acme["contracts"]![0]!["deployOnFirstUse"]!.GetValue<bool>());
        var target = acme["targets"]!.AsArray().Single()!;
        Assert.Equal(("besu-main", "evm", true, KeyFile), (target["name"]!.GetValue<string>(), target["kind"]!.GetValue<string>(), target["active"]!.GetValue<bool>(),
            target["credentials"]!["privateKeyFile"]!.GetValue<string>()));

        var flat = (await api.Get("/api/v1/chains/targets", "operator")).Json["items"]!.AsArray().Single(t => t!["name"]!.GetValue<string>() == "besu-main")!;
        Assert.Equal(("acme", "besu", "anchor-v1"), (flat["allianceId"]!.GetValue<string>(), flat["networkId"]!.GetValue<string>(), flat["contractId"]!.GetValue<string>()));

        var definition = (await api.Service<IAnchorTargetSource>().ActiveTargets(CancellationToken.None)).Single(t => t.Name == "besu-main");
        Assert.Equal("evm", definition.Kind);
        Assert.Equal(new EvmTargetDefinition("http://127.0.0.1:8545", 1337, null, KeyFile, null, false), definition.Evm);
    }

    [Fact]
    public async Task a_fabric_target_resolves_to_its_peer_tls_root_channel_and_chaincode()
    {
        var pem = TlsRoot();
        await Created("/api/v1/chains/alliances", new { allianceId = "fab-co", name = "Fabric consortium", members = new[] { new { name = "Org One", mspId = "Org1MSP" } } });
        await Created("/api/v1/chains/alliances/fab-co/networks", new { networkId = "fab", name = "Fabric", kind = "fabric", endpoints = new[] { "https://peer0.org1.example.com:7051" }, tlsRootCertificates = new[] { pem } });
        await Created("/api/v1/chains/alliances/fab-co/networks/fab/channels", new { name = "anchors" });
        await Created("/api/v1/chains/alliances/fab-co/contracts", new { contractId = "cc", networkId = "fab", channel = "anchors", chaincode = "checkpoint-anchor", abiVersion = "1" });
        await Created("/api/v1/chains/alliances/fab-co/targets", new
        {
            name = "fabric-main", contractId = "cc",
            credentials = new { mspId = "Org1MSP", certificateFile = "/etc/fabric/signcerts/cert.pem", privateKeyFile = "/etc/fabric/keystore/key.pem", tlsServerName = "peer0.org1.example.com" },
        });
        Assert.Equal(HttpStatusCode.OK, (await Activate("fabric-main", true)).Status);

        var f = (await api.Service<IAnchorTargetSource>().ActiveTargets(CancellationToken.None)).Single(t => t.Name == "fabric-main").Fabric!;
        Assert.Equal(("https://peer0.org1.example.com:7051", "peer0.org1.example.com", "Org1MSP", "anchors", "checkpoint-anchor"), (f.Endpoint, f.TlsServerName, f.MspId, f.Channel, f.Chaincode));
        Assert.Equal(("/etc/fabric/signcerts/cert.pem", "/etc/fabric/keystore/key.pem"), (f.CertificateFile, f.PrivateKeyFile));
        Assert.Equal(pem.Trim(), f.TlsRootCertificatePem!.Trim());

        var unknownMsp = await api.Post("/api/v1/chains/alliances/fab-co/targets", "operator", new
        {
            name = "fabric-2", contractId = "cc", credentials = new { mspId = "Org9MSP", certificateFile = "c.pem", privateKeyFile = "k.pem" },
        });
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "credentials.mspId"), (unknownMsp.Status, unknownMsp.Json["field"]!.GetValue<string>()));
    }

    [Fact]
    public async Task a_key_value_instead_of_a_file_or_variable_name_is_refused_and_never_stored_or_returned()
    {
        await EvmAlliance("keys-co", "keys-target");
        var before = await api.Scalar("SELECT count(*) FROM events");
        foreach (var credentials in new object[]
                 {
                     new { privateKeyFile = HexKey }, new { privateKeyEnv = "0x" + HexKey },
                     new { privateKeyFile = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg\n-----END EC PRIVATE KEY-----" },
                 })
        {
            var r = await api.Post("/api/v1/chains/alliances/keys-co/targets", "operator", new { name = "leaky", contractId = "anchor-v1", credentials });
            Assert.Equal(HttpStatusCode.UnprocessableEntity, r.Status);
            Assert.Equal("application/problem+json", r.ContentType);
            Assert.Equal("chain.secret_value", r.Code);
            Assert.Contains("file or an environment variable", r.Json["detail"]!.GetValue<string>());
            Assert.DoesNotContain(HexKey, r.Body);
            Assert.DoesNotContain("MHcCAQEEIBkg", r.Body);
        }
        var rotate = await api.Post("/api/v1/chains/targets/keys-target/credentials", "operator", new { credentials = new { privateKeyFile = HexKey } });
        Assert.Equal("chain.secret_value", rotate.Code);
        Assert.Equal(before, await api.Scalar("SELECT count(*) FROM events"));

        Assert.Equal(0, await api.Scalar($"SELECT count(*) FROM events WHERE data::text LIKE '%{HexKey}%' OR metadata::text LIKE '%{HexKey}%'"));
        Assert.Equal(0, await api.Scalar("SELECT count(*) FROM events WHERE stream_id = 'chain-registry' AND (data::text ~ '[0-9a-fA-F]{64}' OR data::text LIKE '%PRIVATE KEY%')"));
        Assert.True(await api.Scalar($"SELECT count(*) FROM events WHERE stream_id = 'chain-registry' AND data::text LIKE '%{KeyFile}%'") >= 1, "the file's name is recorded");

        var shown = await api.Get("/api/v1/chains/targets/keys-target", "operator");
        Assert.Equal(KeyFile, shown.Json["credentials"]!["privateKeyFile"]!.GetValue<string>());
        Assert.DoesNotContain(HexKey, (await api.Get("/api/v1/chains", "operator")).Body);
    }

    [Fact]
    public async Task a_target_name_taken_in_another_alliance_is_a_conflict_and_local_is_reserved()
    {
        await EvmAlliance("first-co", "shared-name");
        await EvmAlliance("second-co", "second-target");
        var taken = await api.Post("/api/v1/chains/alliances/second-co/targets", "operator", new { name = "shared-name", contractId = "anchor-v1", credentials = new { privateKeyEnv = "ANCHOR_KEY" } });
        Assert.Equal((HttpStatusCode.Conflict, "chain.target_exists"), (taken.Status, taken.Code));
        var local = await api.Post("/api/v1/chains/alliances/second-co/targets", "operator", new { name = "local", contractId = "anchor-v1", credentials = new { privateKeyEnv = "ANCHOR_KEY" } });
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "name"), (local.Status, local.Json["field"]!.GetValue<string>()));
        var again = await api.Post("/api/v1/chains/alliances", "operator", new { allianceId = "first-co", name = "Again", members = new[] { new { name = "X" } } });
        Assert.Equal((HttpStatusCode.Conflict, "chain.alliance_exists"), (again.Status, again.Code));
    }

    [Fact]
    public async Task activation_and_deactivation_are_seen_by_the_anchor_targets_at_once_on_every_instance()
    {
        await EvmAlliance("live-co", "live-target");
        var here = api.Service<IAnchorTargetSource>();
        var elsewhere = new ChainTargetSource(new ChainRegistryReader(api.Service<IEventStore>()));
        Assert.DoesNotContain(await here.ActiveTargets(CancellationToken.None), t => t.Name == "live-target");
        Assert.DoesNotContain(await elsewhere.ActiveTargets(CancellationToken.None), t => t.Name == "live-target");

        Assert.Equal(HttpStatusCode.OK, (await Activate("live-target", true)).Status);
        var revision = (await here.ActiveTargets(CancellationToken.None)).Single(t => t.Name == "live-target").Revision;
        Assert.Contains(await elsewhere.ActiveTargets(CancellationToken.None), t => t.Name == "live-target");

        var moved = await api.Post("/api/v1/chains/alliances/live-co/networks/besu/endpoints", "operator", new { endpoints = new[] { "http://10.0.0.7:8545" } });
        Assert.Equal(HttpStatusCode.OK, moved.Status);
        var after = (await elsewhere.ActiveTargets(CancellationToken.None)).Single(t => t.Name == "live-target");
        Assert.Equal("http://10.0.0.7:8545", after.Evm!.RpcUrl);
        Assert.NotEqual(revision, after.Revision);

        Assert.Equal(HttpStatusCode.OK, (await Activate("live-target", false)).Status);
        Assert.DoesNotContain(await here.ActiveTargets(CancellationToken.None), t => t.Name == "live-target");
        Assert.DoesNotContain(await elsewhere.ActiveTargets(CancellationToken.None), t => t.Name == "live-target");
        Assert.Equal("chain.target_inactive", (await Activate("live-target", false)).Code);
    }

    [Fact]
    public async Task a_target_that_has_been_active_keeps_its_contract()
    {
        await EvmAlliance("fixed-co", "fixed-target");
        await Created("/api/v1/chains/alliances/fixed-co/contracts", new { contractId = "anchor-v2", networkId = "besu", abiVersion = "2", address = "0x5FbDB2315678afecb367f032d93F642f64180aa3" });
        var moved = await api.Post("/api/v1/chains/targets/fixed-target/contract", "operator", new { contractId = "anchor-v2" });
        Assert.Equal(HttpStatusCode.OK, moved.Status);
        Assert.Equal("0x5FbDB2315678afecb367f032d93F642f64180aa3", moved.Json["contractAddress"]!.GetValue<string>());

        await Activate("fixed-target", true);
        await Activate("fixed-target", false);
        var back = await api.Post("/api/v1/chains/targets/fixed-target/contract", "operator", new { contractId = "anchor-v1" });
        Assert.Equal((HttpStatusCode.Conflict, "chain.target_identity_fixed"), (back.Status, back.Code));
        Assert.True((await api.Get("/api/v1/chains/targets/fixed-target", "operator")).Json["identityFixed"]!.GetValue<bool>());
    }

    [Fact]
    public async Task references_to_missing_records_are_refused_and_change_nothing()
    {
        await EvmAlliance("ref-co", "ref-target");
        var before = await api.Scalar("SELECT count(*) FROM events");
        var cases = new (string Path, object Body, HttpStatusCode Status, string Code)[]
        {
            ("/api/v1/chains/alliances/nope/networks", new { networkId = "n", name = "N", kind = "evm", endpoints = new[] { "http://n:1" }, chainId = 1 }, HttpStatusCode.NotFound, "chain.alliance_not_found"),
            ("/api/v1/chains/alliances/ref-co/networks", new { networkId = "n", name = "N", kind = "cosmos", endpoints = new[] { "http://n:1" } }, HttpStatusCode.UnprocessableEntity, "request.invalid"),
            ("/api/v1/chains/alliances/ref-co/networks", new { networkId = "n", name = "N", kind = "evm", endpoints = new[] { "http://n:1" }, chainId = 0 }, HttpStatusCode.UnprocessableEntity, "chain.invalid"),
            ("/api/v1/chains/alliances/ref-co/networks", new { networkId = "n", name = "N", kind = "evm", endpoints = new[] { "ftp://n" }, chainId = 1 }, HttpStatusCode.UnprocessableEntity, "chain.invalid"),
            ("/api/v1/chains/alliances/ref-co/networks", new { networkId = "f", name = "F", kind = "fabric", endpoints = new[] { "https://peer:7051" },
                tlsRootCertificates = new[] { "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----" } }, HttpStatusCode.UnprocessableEntity, "chain.invalid"),
            ("/api/v1/chains/alliances/ref-co/networks/besu/channels", new { name = "anchors" }, HttpStatusCode.UnprocessableEntity, "chain.invalid"),
            ("/api/v1/chains/alliances/ref-co/networks/nope/channels", new { name = "anchors" }, HttpStatusCode.NotFound, "chain.network_not_found"),
            ("/api/v1/chains/alliances/ref-co/contracts", new { contractId = "c", networkId = "nope", abiVersion = "1" }, HttpStatusCode.UnprocessableEntity, "chain.unknown_network"),
            ("/api/v1/chains/alliances/ref-co/targets", new { name = "t", contractId = "nope", credentials = new { privateKeyEnv = "K" } }, HttpStatusCode.UnprocessableEntity, "chain.unknown_contract"),
            ("/api/v1/chains/alliances/ref-co/members", new { name = "Org One" }, HttpStatusCode.Conflict, "chain.member_exists"),
            ("/api/v1/chains/targets/nope/activation", new { active = true }, HttpStatusCode.NotFound, "chain.target_not_found"),
            ("/api/v1/chains/targets/ref-target/activation", new { }, HttpStatusCode.UnprocessableEntity, "request.invalid"),
        };
        foreach (var (path, body, status, code) in cases)
        {
            var r = await api.Post(path, "operator", body);
            Assert.True(r.Status == status && r.Code == code, $"POST {path} → expected {(int)status} {code}, got {r}");
        }
        Assert.Equal(before, await api.Scalar("SELECT count(*) FROM events"));
        Assert.Equal(HttpStatusCode.NotFound, (await api.Get("/api/v1/chains/alliances/nope", "operator")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Get("/api/v1/chains/targets/nope", "operator")).Status);
    }

    [Fact]
    public async Task a_member_joins_and_is_listed()
    {
        await EvmAlliance("members-co", "members-target");
        var r = await Created("/api/v1/chains/alliances/members-co/members", new { name = "Org Two", mspId = "Org2MSP" });
        Assert.Equal(["Org One", "Org Two"], r.Json["members"]!.AsArray().Select(m => m!["name"]!.GetValue<string>()));
        Assert.Equal("/api/v1/chains/alliances/members-co", r.Location);
    }

    [Fact]
    public async Task a_member_that_claims_to_be_a_participant_must_be_registered()
    {
        var r = await api.Post("/api/v1/chains/alliances", "operator", new { allianceId = "ghost-co", name = "Ghosts", members = new[] { new { name = "Ghost", participantId = "nobody-here" } } });
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "chain.unknown_participant", "members[0].participantId"), (r.Status, r.Code, r.Json["field"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NotFound, (await api.Get("/api/v1/chains/alliances/ghost-co", "operator")).Status);
    }

    [Fact]
    public async Task a_retried_post_with_the_same_idempotency_key_is_answered_once_and_written_once()
    {
        var body = new { allianceId = "retry-co", name = "Retry consortium", members = new[] { new { name = "Org One" } } };
        var first = await api.Post("/api/v1/chains/alliances", "operator", body, ("Idempotency-Key", "chains-retry-1"));
        var second = await api.Post("/api/v1/chains/alliances", "operator", body, ("Idempotency-Key", "chains-retry-1"));
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created, true), (first.Status, second.Status, second.Replayed));
        Assert.Equal(1, await api.Scalar("SELECT count(*) FROM events WHERE stream_id = 'chain-registry' AND data->>'alliance' = 'retry-co'"));
    }

    [Fact]
    public async Task operators_racing_for_one_target_name_in_different_alliances_get_one_201_and_409s()
    {
        var alliances = new[] { "race-a", "race-b", "race-c", "race-d" };
        foreach (var a in alliances) await EvmAlliance(a, $"{a}-own");
        await api.Token("operator");
        var answers = await Task.WhenAll(alliances.Select(a =>
            api.Post($"/api/v1/chains/alliances/{a}/targets", "operator", new { name = "raced", contractId = "anchor-v1", credentials = new { privateKeyEnv = "RACE_KEY" } })));
        Assert.Equal(1, answers.Count(r => r.Status == HttpStatusCode.Created));
        Assert.All(answers.Where(r => r.Status != HttpStatusCode.Created), r => Assert.Equal((HttpStatusCode.Conflict, "chain.target_exists"), (r.Status, r.Code)));
        Assert.Equal(1, await api.Scalar("SELECT count(*) FROM events WHERE stream_id = 'chain-registry' AND type = 'chain-target-defined' AND data->>'target' = 'raced'"));
    }

    [Fact]
    public async Task chain_records_are_in_the_verifiable_ledger_and_a_ledger_export_with_them_verifies()
    {
        await EvmAlliance("ledger-co", "ledger-target");
        await Activate("ledger-target", true);
        // Up to the activation itself: without `to` the export ends at what is anchored already, which may be before it.
        var activation = await api.Scalar("SELECT max(position) FROM events WHERE type = 'chain-target-activated' AND data->>'target' = 'ledger-target'");
        var d = await api.Download($"/api/v1/evidence/ledger?to={activation}&wait=20", "operator");
        Assert.True(d.Status == HttpStatusCode.OK, d.ToString());
        var report = Evidence.Verify(d.Bytes);
        Assert.True(report.Ok, Evidence.Describe(report));
        var text = string.Join("\n", Evidence.Files(d.Bytes).Values.Select(System.Text.Encoding.UTF8.GetString));
        Assert.Contains("chain-target-activated", text);
        Assert.Contains(KeyFile, text);
        Assert.DoesNotContain("PRIVATE KEY", text);
    }

    [Fact]
    public async Task a_target_shows_the_contract_it_deployed_on_first_use_and_its_anchoring_status()
    {
        await EvmAlliance("status-co", "status-target");
        var before = (await api.Get("/api/v1/chains/targets/status-target", "operator")).Json;
        Assert.Null(before["contractAddress"]);
        Assert.Null(before["anchoring"]);

        // What the anchor worker records for the target (by its name) when it deploys and anchors.
        await api.Scalar("""
            INSERT INTO evm_contracts (anchor, chain_id, contract_address, deployer, deploy_tx, deploy_block)
            VALUES ('status-target', 1337, '0x5FbDB2315678afecb367f032d93F642f64180aa3', '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', '0xabc', 1);
            INSERT INTO anchor_cursors (anchor, last_size, failures, last_error) VALUES ('status-target', 12, 2, 'connection refused');
            SELECT 1
            """);
        var after = (await api.Get("/api/v1/chains/targets/status-target", "operator")).Json;
        Assert.Equal("0x5FbDB2315678afecb367f032d93F642f64180aa3", after["contractAddress"]!.GetValue<string>());
        Assert.Equal((12L, 2, "connection refused"), (after["anchoring"]!["anchoredSize"]!.GetValue<long>(), after["anchoring"]!["failures"]!.GetValue<int>(),
            after["anchoring"]!["lastError"]!.GetValue<string>()));
        var listed = (await api.Get("/api/v1/chains", "operator")).Json["alliances"]!.AsArray()
            .Single(a => a!["allianceId"]!.GetValue<string>() == "status-co")!["targets"]![0]!;
        Assert.Equal("0x5FbDB2315678afecb367f032d93F642f64180aa3", listed["contractAddress"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("owner-a")]
    [InlineData("reg-1")]
    public async Task only_the_operator_reads_or_changes_chains(string who)
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await api.Get("/api/v1/chains", who)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.Get("/api/v1/chains/targets", who)).Status);
        var r = await api.Post("/api/v1/chains/alliances", who, new { allianceId = "rogue", name = "Rogue", members = new[] { new { name = "X" } } });
        Assert.Equal(HttpStatusCode.Forbidden, r.Status);
        Assert.Equal("application/problem+json", r.ContentType);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Get("/api/v1/chains", null)).Status);
        Assert.Equal(0, await api.Scalar("SELECT count(*) FROM events WHERE stream_id = 'chain-registry' AND data->>'alliance' = 'rogue'"));
    }
}
