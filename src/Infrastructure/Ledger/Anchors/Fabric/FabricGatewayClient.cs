using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace AssetLedger.Infrastructure.Ledger.Anchors.Fabric;

/// <summary>
/// Where a committed transaction ended up: its id, block, and the peer's validation code (0 is VALID); after a submit,
/// also the signed envelope that was ordered (<c>common.Envelope</c>, holding the endorsements).
/// </summary>
public sealed record FabricCommit(string TransactionId, ulong BlockNumber, int ValidationCode, string ValidationCodeName, byte[]? Envelope = null)
{
    public bool IsValid => ValidationCode == 0;
}

/// <summary>A Fabric Gateway call was refused or failed; the message carries the gRPC status and the peers' details.</summary>
public sealed class FabricGatewayException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// A minimal client of the Fabric Gateway service (peer ≥ 2.4) over Grpc.Net.Client, generated from the Fabric
/// protos: submit (Endorse → sign the prepared envelope → Submit → CommitStatus), evaluate, and commit status
/// of any transaction id. No .NET Fabric SDK exists; this is what the official clients do, message for message.
/// </summary>
public sealed class FabricGatewayClient : IDisposable
{
    readonly GrpcChannel? _ownedChannel;
    readonly Gateway.Gateway.GatewayClient _client;
    readonly FabricIdentity _identity;
    readonly FabricGatewayTimeouts _timeouts;

    public FabricGatewayClient(CallInvoker invoker, FabricIdentity identity, FabricGatewayTimeouts? timeouts = null)
    {
        _client = new Gateway.Gateway.GatewayClient(invoker);
        _identity = identity;
        _timeouts = timeouts ?? new FabricGatewayTimeouts();
    }

    FabricGatewayClient(GrpcChannel channel, FabricIdentity identity, FabricGatewayTimeouts? timeouts) : this(channel.CreateCallInvoker(), identity, timeouts) =>
        _ownedChannel = channel;

    public FabricIdentity Identity => _identity;

    /// <summary>
    /// Connects to a Gateway peer. <paramref name="endpoint"/> is <c>https://host:port</c> (TLS, the peer's
    /// certificate must chain to <paramref name="tlsRootCertificatePem"/> and name <paramref name="tlsServerName"/>, or
    /// the endpoint's host when that is null) or <c>http://host:port</c> (no TLS).
    /// </summary>
    public static FabricGatewayClient Connect(Uri endpoint, string? tlsRootCertificatePem, string? tlsServerName, FabricIdentity identity, FabricGatewayTimeouts? timeouts = null)
    {
        var handler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true, PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan, KeepAlivePingDelay = TimeSpan.FromSeconds(60) };
        if (endpoint.Scheme == Uri.UriSchemeHttps)
        {
            if (string.IsNullOrWhiteSpace(tlsRootCertificatePem)) throw new ArgumentException("A TLS root certificate is required for an https endpoint.");
            var roots = new X509Certificate2Collection();
            roots.ImportFromPem(tlsRootCertificatePem);
            var serverName = string.IsNullOrWhiteSpace(tlsServerName) ? endpoint.Host : tlsServerName;
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    certificate is not null && ValidPeerCertificate(new X509Certificate2(certificate), roots, serverName),
            };
        }
        var channel = GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
        return new FabricGatewayClient(channel, identity, timeouts);
    }

    /// <summary>The peer's TLS certificate chains to one of the configured roots (and only those) and names <paramref name="serverName"/>.</summary>
    static bool ValidPeerCertificate(X509Certificate2 certificate, X509Certificate2Collection roots, string serverName)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (!chain.Build(certificate)) return false;
        // The name is checked against serverName, not the address dialled (a test network's peer is dialled as localhost).
        return certificate.MatchesHostname(serverName, allowWildcards: true, allowCommonName: true);
    }

    /// <summary>Endorse → sign → Submit → CommitStatus. Throws <see cref="FabricGatewayException"/> if a step fails; returns the commit whatever its validation code.</summary>
    public async Task<FabricCommit> Submit(string channelId, string chaincodeName, string function, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var proposal = FabricProposal.Create(_identity, channelId, chaincodeName, function, arguments).Sign(_identity);
        var endorsed = await Call("Endorse", () => _client.EndorseAsync(new Gateway.EndorseRequest
        {
            TransactionId = proposal.TransactionId,
            ChannelId = channelId,
            ProposedTransaction = proposal.Signed,
        }, deadline: Deadline(_timeouts.Endorse), cancellationToken: ct).ResponseAsync);
        var envelope = endorsed.PreparedTransaction ?? throw new FabricGatewayException($"Endorse of {proposal.TransactionId} answered no prepared transaction.");
        envelope.Signature = ByteString.CopyFrom(_identity.Sign(envelope.Payload.Span));
        await Call("Submit", () => _client.SubmitAsync(new Gateway.SubmitRequest
        {
            TransactionId = proposal.TransactionId,
            ChannelId = channelId,
            PreparedTransaction = envelope,
        }, deadline: Deadline(_timeouts.Submit), cancellationToken: ct).ResponseAsync);
        return await CommitStatus(channelId, proposal.TransactionId, ct) with { Envelope = envelope.ToByteArray() };
    }

    /// <summary>The signed envelope of a committed transaction, read from the peer's ledger (<c>qscc GetTransactionByID</c>).</summary>
    public async Task<byte[]> TransactionEnvelope(string channelId, string transactionId, CancellationToken ct)
    {
        var processed = Protos.ProcessedTransaction.Parser.ParseFrom(await Evaluate(channelId, "qscc", "GetTransactionByID", [channelId, transactionId], ct));
        return processed.TransactionEnvelope?.ToByteArray() ?? throw new FabricGatewayException($"The peer holds no envelope for transaction {transactionId}.");
    }

    /// <summary>The commit of <paramref name="transactionId"/>; the peer waits for it if it is not committed yet.</summary>
    public async Task<FabricCommit> CommitStatus(string channelId, string transactionId, CancellationToken ct)
    {
        var request = SignedCommitStatusRequest(channelId, transactionId);
        var status = await Call("CommitStatus", () => _client.CommitStatusAsync(request, deadline: Deadline(_timeouts.Commit), cancellationToken: ct).ResponseAsync);
        return new FabricCommit(transactionId, status.BlockNumber, (int)status.Result, ValidationCodeName(status.Result));
    }

    /// <summary>The offline-signing form of a commit-status request: <c>gateway.SignedCommitStatusRequest</c> bytes.</summary>
    public byte[] CommitStatusRequestBytes(string channelId, string transactionId) => SignedCommitStatusRequest(channelId, transactionId).ToByteArray();

    Gateway.SignedCommitStatusRequest SignedCommitStatusRequest(string channelId, string transactionId)
    {
        var request = new Gateway.CommitStatusRequest { TransactionId = transactionId, ChannelId = channelId, Identity = ByteString.CopyFrom(_identity.Creator) }.ToByteString();
        return new Gateway.SignedCommitStatusRequest { Request = request, Signature = ByteString.CopyFrom(_identity.Sign(request.Span)) };
    }

    /// <summary>Runs a transaction function on a peer without ordering it; answers its payload. A chaincode error throws.</summary>
    public async Task<byte[]> Evaluate(string channelId, string chaincodeName, string function, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var proposal = FabricProposal.Create(_identity, channelId, chaincodeName, function, arguments).Sign(_identity);
        var answer = await Call("Evaluate", () => _client.EvaluateAsync(new Gateway.EvaluateRequest
        {
            TransactionId = proposal.TransactionId,
            ChannelId = channelId,
            ProposedTransaction = proposal.Signed,
        }, deadline: Deadline(_timeouts.Evaluate), cancellationToken: ct).ResponseAsync);
        if (answer.Result is null) return [];
        if (answer.Result.Status is < 200 or >= 400) throw new FabricGatewayException($"Evaluate {function}: chaincode answered {answer.Result.Status} {answer.Result.Message}");
        return answer.Result.Payload.ToByteArray();
    }

    static DateTime Deadline(TimeSpan timeout) => DateTime.UtcNow.Add(timeout);

    static string ValidationCodeName(Protos.TxValidationCode code) =>
        Protos.TransactionReflection.Descriptor.EnumTypes.First(e => e.Name == "TxValidationCode").FindValueByNumber((int)code)?.Name ?? ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);

    static async Task<T> Call<T>(string step, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (RpcException ex)
        {
            throw new FabricGatewayException($"Fabric Gateway {step} failed: {ex.Status.StatusCode} {ex.Status.Detail}{Details(ex)}", ex);
        }
    }

    /// <summary>The peers' own messages (google.rpc.Status details: gateway.ErrorDetail{address, msp_id, message}), read without their types.</summary>
    static string Details(RpcException ex)
    {
        var bin = ex.Trailers.GetValueBytes("grpc-status-details-bin");
        if (bin is null) return "";
        var messages = new List<string>();
        try
        {
            var status = new CodedInputStream(bin);
            while (status.ReadTag() is var tag && tag != 0)
            {
                if (WireFormat.GetTagFieldNumber(tag) != 3) { status.SkipLastField(); continue; }   // google.rpc.Status.details (Any)
                var any = new CodedInputStream(status.ReadBytes().ToByteArray());
                while (any.ReadTag() is var t && t != 0)
                {
                    if (WireFormat.GetTagFieldNumber(t) != 2) { any.SkipLastField(); continue; }     // Any.value = ErrorDetail
                    var detail = new CodedInputStream(any.ReadBytes().ToByteArray());
                    var parts = new string[4];
                    while (detail.ReadTag() is var d && d != 0)
                    {
                        var n = WireFormat.GetTagFieldNumber(d);
                        if (n is >= 1 and <= 3 && WireFormat.GetTagWireType(d) == WireFormat.WireType.LengthDelimited) parts[n] = detail.ReadString();
                        else detail.SkipLastField();
                    }
                    messages.Add($"{parts[2]}@{parts[1]}: {parts[3]}");
                }
            }
        }
        catch (InvalidProtocolBufferException)
        {
            return "";
        }
        return messages.Count == 0 ? "" : " (" + string.Join("; ", messages) + ")";
    }

    public void Dispose() => _ownedChannel?.Dispose();
}

public sealed record FabricGatewayTimeouts
{
    public TimeSpan Endorse { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan Submit { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan Commit { get; init; } = TimeSpan.FromMinutes(1);
    public TimeSpan Evaluate { get; init; } = TimeSpan.FromSeconds(15);
}
