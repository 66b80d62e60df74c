using System.Net;
using System.Net.Sockets;
using System.Text;
using AssetLedger.Cli.Witness;
using AssetLedger.Ledger.Checkpoints;
using AssetLedger.Ledger.Merkle;
using AssetLedger.Ledger.Notes;
using AssetLedger.Ledger.Witness;

namespace AssetLedger.Cli.Tests;

/// <summary><c>assetledger witness serve</c>'s HTTP interface (C2SP tlog-witness) on 127.0.0.1, with its own file store.</summary>
public sealed class a_witness_over_http : IAsyncLifetime
{
    const string Origin = "registry.test/log";
    readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("witness-");
    readonly NoteSigner _log = NoteSigner.Generate(Origin);
    readonly MemoryMerkleTree _tree = new();
    readonly HttpClient _http = new();
    WitnessServer _server = null!;
    Cosigner _key = null!;

    public Task InitializeAsync()
    {
        for (var i = 0; i < 30; i++) _tree.Append([(byte)i]);
        (_server, _key) = Start();
        return Task.CompletedTask;
    }

    (WitnessServer, Cosigner) Start()
    {
        var store = new WitnessStore(_dir.FullName);
        var key = store.LoadOrCreateKey("witness.test/w1");
        return (WitnessServer.Start(store, key, [_log.Verifier], FreePort()), key);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _key.Dispose();
        _log.Dispose();
        _http.Dispose();
        _dir.Delete(recursive: true);
    }

    static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    string Note(long size, byte[]? root = null) =>
        SignedNote.Sign(new CheckpointBody(Origin, size, root ?? _tree.Root(size), DateTimeOffset.UtcNow, null).ToText(), _log);

    async Task<(HttpStatusCode Status, string Body, string? Type)> Add(long old, IReadOnlyList<byte[]> proof, string note)
    {
        using var r = await _http.PostAsync($"{_server.Url}/add-checkpoint", new StringContent(new AddCheckpointRequest(old, proof, note).ToText(), Encoding.UTF8));
        return (r.StatusCode, await r.Content.ReadAsStringAsync(), r.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task it_answers_add_checkpoint_with_a_cosignature_and_the_spec_status_codes_and_remembers_across_a_restart()
    {
        var first = Note(10);
        var ok = await Add(0, [], first);
        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.True(Cosignature.Verify(WitnessDecision.Text(first), ok.Body, CosignerKey.Parse(_key.Key.VerifierKey)).IsValid, ok.Body);

        var stale = await Add(0, [], Note(20));
        Assert.Equal((HttpStatusCode.Conflict, "10\n", "text/x.tlog.size"), stale);

        // A restart reads the same key and the same latest checkpoint from its directory.
        await _server.DisposeAsync();
        var verifierKey = _key.Key.VerifierKey;
        _key.Dispose();
        (_server, _key) = Start();
        Assert.Equal(verifierKey, _key.Key.VerifierKey);
        Assert.Equal("10\n", (await Add(0, [], Note(20))).Body);
        Assert.Equal(HttpStatusCode.OK, (await Add(10, _tree.Consistency(10, 20), Note(20))).Status);

        using var stranger = NoteSigner.Generate(Origin);
        var forged = SignedNote.Sign(new CheckpointBody(Origin, 25, _tree.Root(25), DateTimeOffset.UtcNow, null).ToText(), stranger);
        Assert.Equal(HttpStatusCode.Forbidden, (await Add(20, _tree.Consistency(20, 25), forged)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Add(26, [], Note(25))).Status);
        Assert.Equal(verifierKey + "\n", await _http.GetStringAsync($"{_server.Url}/key"));
    }

    [Fact]
    public async Task a_checkpoint_that_does_not_extend_the_cosigned_one_is_refused_with_422_and_kept_as_an_equivocation_proof()
    {
        await Add(0, [], Note(10));
        var forked = Note(20, new byte[32].Select((_, i) => (byte)i).ToArray());
        var refused = await Add(10, _tree.Consistency(10, 20), forked);
        Assert.Equal((HttpStatusCode)422, refused.Status);
        await Add(10, _tree.Consistency(10, 20), forked); // the log tries again: still one proof

        var lines = (await _http.GetStringAsync($"{_server.Url}/equivocations")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var proof = EquivocationProof.FromJson(Assert.Single(lines));
        Assert.Equal(forked, proof.Conflicting.Note);
        Assert.Null(EquivocationProof.Check(proof, _log.Verifier));

        var exit = await CliApp.Create().Parse(["witness", "equivocations", "--dir", _dir.FullName, "--log-key", _log.VerifierKey]).InvokeAsync();
        Assert.Equal(1, exit);
    }
}
