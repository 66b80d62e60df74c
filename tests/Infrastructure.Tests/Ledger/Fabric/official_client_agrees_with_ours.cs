using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AssetLedger.Infrastructure.Ledger.Anchors.Fabric;
using Xunit.Abstractions;

namespace AssetLedger.Infrastructure.Tests.Ledger.Fabric;

/// <summary>
/// No Fabric peer runs here, so the C# Gateway client is proved against the official one: the same
/// invocation is built by the official Node client (@hyperledger/fabric-gateway, offline signing) and by ours, both
/// are decoded with the official protos (@hyperledger/fabric-protos) and compared field by field, every signature is
/// verified with the certificate (in Node and in .NET), and the official client's offline-signing entry points take
/// our bytes and read back our transaction id. The Node half is chain/fabric/compat/compare.js.
/// </summary>
public sealed class official_client_agrees_with_ours(ITestOutputHelper output)
{
    const string MspId = "Org1MSP";
    const string Channel = "mychannel";
    const string Chaincode = "checkpoint-anchor";
    const string Function = "AnchorCheckpoint";

    // Fields that must differ between two proposals (fresh nonce, so a fresh id) or may (the time each was built, the
    // length of a DER signature: 70 to 72 bytes); the signatures themselves are checked apart.
    static readonly string[] PerTransaction =
    [
        "ProposedTransaction.transactionId", "ChannelHeader.txId", "SignatureHeader.nonce",
        "ChannelHeader.timestamp.seconds", "ChannelHeader.timestamp.nanos", "SignedProposal.signature.length",
    ];

    [Fact]
    public async Task the_same_invocation_built_by_the_official_client_and_by_ours_agrees_field_by_field()
    {
        var folder = NodeTools.FabricFolder("compat");
        NodeTools.RequireInstalled(folder);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var certPem = SelfSignedCertificatePem(key);
        var keyPem = key.ExportPkcs8PrivateKeyPem();
        string[] arguments = ["42", new string('a', 64), "", Convert.ToBase64String(RandomNumberGenerator.GetBytes(68)), "ünïcode ✓"];

        using var identity = new FabricIdentity(MspId, certPem, ImportKey(keyPem));
        var proposal = FabricProposal.Create(identity, Channel, Chaincode, Function, arguments);
        var unsignedBytes = proposal.ToBytes();
        proposal.Sign(identity);
        using var client = new FabricGatewayClient(new NeverCalledInvoker(), identity);
        var commitBytes = client.CommitStatusRequestBytes(Channel, proposal.TransactionId);

        var input = Path.Combine(Path.GetTempPath(), $"fabric-compat-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(input, JsonSerializer.Serialize(new
        {
            mspId = MspId, certPem, keyPem, channel = Channel, chaincode = Chaincode, function = Function, arguments,
            ours = new
            {
                proposedTransaction = Convert.ToBase64String(unsignedBytes),
                signature = Convert.ToBase64String(proposal.Signature),
                signedCommitStatusRequest = Convert.ToBase64String(commitBytes),
            },
        }));
        JsonNode result;
        try
        {
            var (exit, stdout, stderr) = await NodeTools.Run(folder, "node", ["compare.js", input], TimeSpan.FromSeconds(60));
            Assert.True(exit == 0, $"compare.js failed ({exit}): {stderr}");
            result = JsonNode.Parse(stdout)!;
        }
        finally
        {
            File.Delete(input);
        }
        output.WriteLine($"official client @hyperledger/fabric-gateway {result["officialClient"]}, protos @hyperledger/fabric-protos {result["officialProtos"]}");
        var official = result["official"]!;
        var ours = result["ours"]!;

        // Field by field: the same fields, the same values, but for the per-transaction ones.
        var officialFields = official["fields"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
        var ourFields = ours["fields"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
        Assert.Equal(officialFields.Keys.Order(), ourFields.Keys.Order());
        foreach (var (field, value) in officialFields.Where(f => !PerTransaction.Contains(f.Key)))
        {
            output.WriteLine($"  {field} = {Shorten(value)}");
            Assert.True(value == ourFields[field], $"{field}: official {value}, ours {ourFields[field]}");
        }
        Assert.Equal(Function, ourFields["ChaincodeInput.args[0]"]);
        Assert.Equal(arguments, Enumerable.Range(1, arguments.Length).Select(i => ourFields[$"ChaincodeInput.args[{i}]"]));
        Assert.Equal(certPem, ourFields["SerializedIdentity.idBytes"]);
        Assert.Equal("3", ourFields["ChannelHeader.type"]); // ENDORSER_TRANSACTION
        foreach (var field in PerTransaction[..3])
            Assert.NotEqual(officialFields[field], ourFields[field]);
        var officialTime = DateTimeOffset.FromUnixTimeSeconds(long.Parse(officialFields["ChannelHeader.timestamp.seconds"]));
        var ourTime = DateTimeOffset.FromUnixTimeSeconds(long.Parse(ourFields["ChannelHeader.timestamp.seconds"]));
        Assert.InRange((officialTime - ourTime).Duration(), TimeSpan.Zero, TimeSpan.FromMinutes(1));
        Assert.Equal(0, int.Parse(ourFields["ChannelHeader.timestamp.nanos"]) % 1_000_000); // milliseconds, as the official client's

        // Every layer decodes completely: re-encoded by the official protos it gives the very same bytes.
        foreach (var side in new[] { official, ours })
            foreach (var layer in side["layers"]!.AsArray())
                Assert.True(layer!["reencodesIdentically"]!.GetValue<bool>(), $"{layer["path"]} does not re-encode identically");

        // Each transaction id is SHA-256(nonce ‖ creator), and is the id in the channel header.
        foreach (var side in new[] { official, ours })
        {
            Assert.Equal(side["transactionIdFromNonceAndCreator"]!.GetValue<string>(), side["fields"]!["ChannelHeader.txId"]!.GetValue<string>());
            Assert.Equal(side["transactionIdFromNonceAndCreator"]!.GetValue<string>(), side["fields"]!["ProposedTransaction.transactionId"]!.GetValue<string>());
        }
        Assert.Equal(proposal.TransactionId, FabricProposal.TransactionIdOf(Convert.FromHexString(ourFields["SignatureHeader.nonce"][4..]), identity.Creator));

        // The official client accepts our signed proposal bytes and reads back our transaction id; signed, they are ours byte for byte.
        Assert.Equal(proposal.TransactionId, ours["transactionIdReadBack"]!.GetValue<string>());
        Assert.Equal(Convert.ToBase64String(proposal.ToBytes()), ours["signedBytes"]!.GetValue<string>());
        Assert.Equal(Convert.ToHexStringLower(proposal.Digest), ours["digest"]!.GetValue<string>());
        Assert.Equal(ours["sha256OfProposalBytes"]!.GetValue<string>(), ours["digest"]!.GetValue<string>());

        // Each signature verifies with the certificate and is low-S: checked by Node and again by .NET.
        foreach (var side in new[] { official, ours })
        {
            Assert.True(side["signature"]!["verifies"]!.GetValue<bool>());
            Assert.True(side["signature"]!["lowS"]!.GetValue<bool>());
        }
        var officialSignature = Convert.FromBase64String(official["signatureBytes"]!.GetValue<string>());
        Assert.True(FabricIdentity.Verify(certPem, Convert.FromBase64String(official["proposalBytes"]!.GetValue<string>()), officialSignature));
        Assert.True(FabricIdentity.IsLowS(officialSignature));
        Assert.True(FabricIdentity.Verify(certPem, proposal.ProposalBytes, proposal.Signature));
        Assert.True(FabricIdentity.IsLowS(proposal.Signature));

        // Our signed commit-status request, through the official client's entry point for it.
        var commit = result["commit"]!;
        Assert.Equal(proposal.TransactionId, commit["transactionIdReadBack"]!.GetValue<string>());
        Assert.Equal(proposal.TransactionId, commit["transactionId"]!.GetValue<string>());
        Assert.Equal(Channel, commit["channelId"]!.GetValue<string>());
        Assert.Equal(Convert.ToHexStringLower(identity.Creator), commit["identity"]!.GetValue<string>());
        Assert.True(commit["reencodesIdentically"]!.GetValue<bool>());
        Assert.True(commit["signature"]!["verifies"]!.GetValue<bool>());
        Assert.True(commit["signature"]!["lowS"]!.GetValue<bool>());
        output.WriteLine($"our transaction {proposal.TransactionId}, official {official["transactionIdReadBack"]}");
    }

    static string Shorten(string value) => value.Length > 80 ? value[..77] + "…" : value;

    static ECDsa ImportKey(string pem)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(pem);
        return key;
    }

    /// <summary>A throwaway client certificate, as an MSP would issue one (here self-signed).</summary>
    public static string SelfSignedCertificatePem(ECDsa key, string commonName = "anchor-client")
    {
        var request = new CertificateRequest($"CN={commonName}, OU=client, O=Org1, C=CN", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return cert.ExportCertificatePem() + "\n";
    }
}

/// <summary>A call invoker that fails any call: the offline parts of the client need none.</summary>
public sealed class NeverCalledInvoker : Grpc.Core.CallInvoker
{
    static Exception Fail() => new InvalidOperationException("no call is expected");
    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Grpc.Core.Method<TRequest, TResponse> method, string? host, Grpc.Core.CallOptions options, TRequest request) => throw Fail();
    public override Grpc.Core.AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Grpc.Core.Method<TRequest, TResponse> method, string? host, Grpc.Core.CallOptions options, TRequest request) => throw Fail();
    public override Grpc.Core.AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Grpc.Core.Method<TRequest, TResponse> method, string? host, Grpc.Core.CallOptions options, TRequest request) => throw Fail();
    public override Grpc.Core.AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Grpc.Core.Method<TRequest, TResponse> method, string? host, Grpc.Core.CallOptions options) => throw Fail();
    public override Grpc.Core.AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Grpc.Core.Method<TRequest, TResponse> method, string? host, Grpc.Core.CallOptions options) => throw Fail();
}
