using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AssetLedger.Application.Ports;
using AssetLedger.Infrastructure.Ledger;
using AssetLedger.Infrastructure.Ledger.Anchors.Fabric;
using AssetLedger.Ledger.Anchors;
using AssetLedger.Ledger.Checkpoints;

namespace AssetLedger.Infrastructure.Tests.Ledger.Fabric;

/// <summary>
/// The FabricAnchor against an in-memory chaincode that keeps the real one's rules (size grows, prev is the last
/// root held): what it sends, the receipt it records, and its idempotence after a crash between commit and receipt.
/// </summary>
public sealed class fabric_anchor
{
    static readonly DateTimeOffset T0 = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task anchors_checkpoints_in_order_with_the_previous_root_and_records_channel_chaincode_transaction_and_block()
    {
        var chain = new ChaincodeInMemory();
        var (anchor, checkpoints) = Setup(chain, 3);
        Assert.Equal("fabric:mychannel/checkpoint-anchor", anchor.Name);

        var receipts = new List<AnchorReceipt>();
        foreach (var c in checkpoints) receipts.Add(await anchor.Submit(c, CancellationToken.None));

        Assert.Equal(3, chain.Submissions.Count);
        Assert.Equal(["AnchorCheckpoint", "5", checkpoints[0].RootHash, "", FabricAnchorProof.LedgerSignature(checkpoints[0].SignedNote)], chain.Submissions[0]);
        Assert.Equal(checkpoints[0].RootHash, chain.Submissions[1][3]);
        Assert.Equal(checkpoints[1].RootHash, chain.Submissions[2][3]);
        var proof = JsonDocument.Parse(receipts[2].ProofJson).RootElement;
        Assert.Equal("fabric", proof.GetProperty("network").GetString());
        Assert.Equal("mychannel", proof.GetProperty("channel").GetString());
        Assert.Equal("checkpoint-anchor", proof.GetProperty("chaincode").GetString());
        Assert.Equal(receipts[2].TransactionReference, proof.GetProperty("transactionId").GetString());
        Assert.Equal(chain.Held[15].TxId, receipts[2].TransactionReference);
        Assert.Equal(3UL, proof.GetProperty("blockNumber").GetUInt64());
        Assert.Equal("VALID", proof.GetProperty("validationCode").GetString());
        Assert.Equal(15, proof.GetProperty("treeSize").GetInt64());
        Assert.Equal(checkpoints[1].RootHash, proof.GetProperty("prev").GetString());
        Assert.Equal([5L, 10L, 15L], receipts.Select(r => r.TreeSize));
    }

    [Fact]
    public async Task a_checkpoint_anchored_before_a_crash_is_not_sent_again_and_gets_the_first_transactions_receipt()
    {
        var chain = new ChaincodeInMemory();
        var (anchor, checkpoints) = Setup(chain, 2);
        var first = await anchor.Submit(checkpoints[0], CancellationToken.None);
        var second = await anchor.Submit(checkpoints[1], CancellationToken.None);

        var again = await anchor.Submit(checkpoints[0], CancellationToken.None); // the receipt was lost: the worker asks again
        var againSecond = await anchor.Submit(checkpoints[1], CancellationToken.None);

        Assert.Equal(2, chain.Submissions.Count);
        Assert.Equal(first.TransactionReference, again.TransactionReference);
        Assert.Equal(second.TransactionReference, againSecond.TransactionReference);
        Assert.Equal(JsonDocument.Parse(second.ProofJson).RootElement.GetProperty("blockNumber").GetUInt64(),
            JsonDocument.Parse(againSecond.ProofJson).RootElement.GetProperty("blockNumber").GetUInt64());
    }

    [Fact]
    public async Task a_channel_holding_another_checkpoint_of_that_size_is_an_error_not_a_receipt()
    {
        var chain = new ChaincodeInMemory();
        var (anchor, checkpoints) = Setup(chain, 1);
        var (_, others) = Setup(new ChaincodeInMemory(), 1, seed: 99);
        await anchor.Submit(others[0], CancellationToken.None);
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => anchor.Submit(checkpoints[0], CancellationToken.None));
        Assert.Contains("already holds a different checkpoint of size 5", ex.Message);
    }

    [Fact]
    public async Task a_transaction_the_peers_invalidate_is_an_error_and_the_next_try_submits_again()
    {
        var chain = new ChaincodeInMemory { InvalidateNext = true };
        var (anchor, checkpoints) = Setup(chain, 1);
        var ex = await Assert.ThrowsAsync<FabricGatewayException>(() => anchor.Submit(checkpoints[0], CancellationToken.None));
        Assert.Contains("MVCC_READ_CONFLICT", ex.Message);
        var receipt = await anchor.Submit(checkpoints[0], CancellationToken.None);
        Assert.Equal(2, chain.Submissions.Count);
        Assert.Equal(chain.Held[5].TxId, receipt.TransactionReference);
    }

    [Fact]
    public void signatures_are_der_and_always_low_s()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var identity = new FabricIdentity("Org1MSP", official_client_agrees_with_ours.SelfSignedCertificatePem(key), ImportCopy(key));
        var highSeen = 0;
        for (var i = 0; i < 64; i++)
        {
            var message = Encoding.UTF8.GetBytes($"message {i}");
            var raw = key.SignData(message, HashAlgorithmName.SHA256);
            if (!FabricIdentity.IsLowS(key.SignData(message, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence))) highSeen++;
            var lowS = FabricIdentity.LowSDer(raw);
            Assert.True(FabricIdentity.IsLowS(lowS));
            Assert.True(key.VerifyData(message, lowS, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
            var signed = identity.Sign(message);
            Assert.True(FabricIdentity.IsLowS(signed));
            Assert.True(FabricIdentity.Verify(identity.CertificatePem, message, signed));
        }
        Assert.True(highSeen > 0, "64 plain signatures had no high S: the normalisation was not exercised");
    }

    [Fact]
    public void an_identity_refuses_a_key_that_is_not_the_certificates()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var ex = Assert.Throws<ArgumentException>(() => new FabricIdentity("Org1MSP", official_client_agrees_with_ours.SelfSignedCertificatePem(key), ImportCopy(other)));
        Assert.Contains("does not belong", ex.Message);
    }

    [Fact]
    public void configuration_names_what_is_missing()
    {
        var options = new FabricAnchorOptions { Endpoint = "https://localhost:7051", MspId = "Org1MSP", Channel = "mychannel" };
        var ex = Assert.Throws<InvalidOperationException>(options.Validate);
        Assert.Contains("CertificateFile, PrivateKeyFile", ex.Message);
        options.CertificateFile = "c.pem";
        options.PrivateKeyFile = "k.pem";
        Assert.Contains("TlsRootCertFile", Assert.Throws<InvalidOperationException>(options.Validate).Message);
        options.TlsRootCertFile = "ca.pem";
        options.Validate();
    }

    static ECDsa ImportCopy(ECDsa key)
    {
        var copy = ECDsa.Create();
        copy.ImportParameters(key.ExportParameters(true));
        return copy;
    }

    /// <summary>Checkpoints of sizes 5, 10, 15, … signed by a throwaway ledger key, and an anchor over <paramref name="chain"/>.</summary>
    static (FabricAnchor Anchor, List<CheckpointToAnchor> Checkpoints) Setup(ChaincodeInMemory chain, int count, int seed = 1)
    {
        var signer = AssetLedger.Ledger.Notes.NoteSigner.Generate("test.local/ledger");
        var list = new List<CheckpointToAnchor>();
        byte[]? previous = null;
        for (var i = 1; i <= count; i++)
        {
            var root = SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}/{i}"));
            var body = new CheckpointBody("test.local/ledger", 5 * i, root, T0.AddSeconds(i), previous);
            var note = AssetLedger.Ledger.Notes.SignedNote.Sign(body.ToText(), signer);
            var hash = CheckpointBody.NoteHash(note);
            list.Add(new CheckpointToAnchor("test.local/ledger", 5 * i, Convert.ToHexStringLower(root), Convert.ToHexStringLower(hash),
                previous is null ? null : Convert.ToHexStringLower(previous), T0.AddSeconds(i), note));
            previous = hash;
        }
        var byHash = list.ToDictionary(c => c.CheckpointHash);
        var anchor = new FabricAnchor("mychannel", "checkpoint-anchor", "Org1MSP", _ => Task.FromResult<IFabricContract>(chain),
            (c, _) => Task.FromResult(c.PreviousCheckpointHash is null ? null : byHash[c.PreviousCheckpointHash].RootHash), new TestClock(T0));
        return (anchor, list);
    }

    /// <summary>The chaincode's rules over a dictionary; one block per submitted transaction.</summary>
    sealed class ChaincodeInMemory : IFabricContract
    {
        public readonly SortedDictionary<long, FabricAnchor.HeldCheckpoint> Held = [];
        public readonly List<string[]> Submissions = [];
        readonly Dictionary<string, FabricCommit> _commits = [];
        public bool InvalidateNext { get; set; }

        public string Channel => "mychannel";
        public string Chaincode => "checkpoint-anchor";

        public Task<FabricCommit> Submit(string function, IReadOnlyList<string> args, CancellationToken ct)
        {
            Submissions.Add([function, .. args]);
            var txId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            var block = (ulong)Submissions.Count;
            var size = long.Parse(args[0], CultureInfo.InvariantCulture);
            var latest = Held.Count == 0 ? null : Held.Values.Last();
            if (latest is not null && size <= latest.Size) throw new FabricGatewayException($"size {size} does not grow");
            if ((latest?.Root ?? "") != args[2]) throw new FabricGatewayException($"prev {args[2]} is not the last root held");
            if (InvalidateNext)
            {
                InvalidateNext = false;
                return Task.FromResult(_commits[txId] = new FabricCommit(txId, block, 11, "MVCC_READ_CONFLICT"));
            }
            Held[size] = new FabricAnchor.HeldCheckpoint(size, args[1], args[2], args[3], txId, T0);
            return Task.FromResult(_commits[txId] = new FabricCommit(txId, block, 0, "VALID"));
        }

        public Task<byte[]> Evaluate(string function, IReadOnlyList<string> args, CancellationToken ct) => Task.FromResult(function switch
        {
            "GetLatest" => Json(Held.Count == 0 ? null : Held.Values.Last()),
            "GetCheckpoint" => Held.TryGetValue(long.Parse(args[0], CultureInfo.InvariantCulture), out var c) ? Json(c) : throw new FabricGatewayException("no checkpoint"),
            _ => throw new FabricGatewayException($"no function {function}"),
        });

        public Task<FabricCommit> CommitStatus(string transactionId, CancellationToken ct) => Task.FromResult(_commits[transactionId]);
        public Task<byte[]> TransactionEnvelope(string transactionId, CancellationToken ct) => Task.FromResult(Array.Empty<byte>());

        static byte[] Json(FabricAnchor.HeldCheckpoint? c) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(c, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
    }
}
