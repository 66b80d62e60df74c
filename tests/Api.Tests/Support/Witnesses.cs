using System.Net;
using System.Net.Sockets;
using AssetLedger.Cli.Witness;
using AssetLedger.Ledger.Notes;
using AssetLedger.Ledger.Witness;

namespace AssetLedger.Api.Tests.Support;

/// <summary>A witness (the CLI's own server and file store) on 127.0.0.1 for a test's ledger, registered with it over the API.</summary>
public sealed class TestWitness : IAsyncDisposable
{
    readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("test-witness-");
    Cosigner _key = null!;
    public WitnessServer Server { get; private set; } = null!;
    public WitnessStore Store { get; private set; } = null!;
    public string Dir => _dir.FullName;
    public string VerifierKey => _key.Key.VerifierKey;

    public static async Task<TestWitness> Start(ApiServer api, string keyName = "witness.test/w1")
    {
        var ledgerKey = (await api.Get("/api/v1/ledger/keys", null)).Json["ledgerVerifierKey"]!.GetValue<string>();
        var w = new TestWitness();
        w.Store = new WitnessStore(w.Dir);
        w._key = w.Store.LoadOrCreateKey(keyName);
        w.Server = WitnessServer.Start(w.Store, w._key, [NoteVerifier.Parse(ledgerKey)], FreePort());
        return w;
    }

    /// <summary>Registers a witness as the operator; 201 expected.</summary>
    public static async Task Register(ApiServer api, string name, string url, string verifierKey)
    {
        var r = await api.Post("/api/v1/chains/witnesses", "operator", new { name, url, verifierKey });
        Assert.True(r.Status == HttpStatusCode.Created, r.ToString());
    }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>Polls (up to a minute) until the latest checkpoint covers <paramref name="treeSize"/> and carries a cosignature by this witness.</summary>
    public async Task<System.Text.Json.Nodes.JsonNode> CosignedCheckpoint(ApiServer api, long treeSize)
    {
        for (var deadline = DateTime.UtcNow.AddMinutes(1); ; await Task.Delay(100))
        {
            var latest = await api.Get("/api/v1/ledger/checkpoints/latest", null);
            if (latest.Status == HttpStatusCode.OK && latest.Json["treeSize"]!.GetValue<long>() >= treeSize
                && latest.Json["cosignatures"]!.AsArray().Any(c => c!["witnessKey"]!.GetValue<string>() == VerifierKey))
                return latest.Json;
            Assert.True(DateTime.UtcNow < deadline, $"no checkpoint of {treeSize} or more cosigned by {VerifierKey} within a minute: {latest}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _key.Dispose();
        _dir.Delete(recursive: true);
    }
}
