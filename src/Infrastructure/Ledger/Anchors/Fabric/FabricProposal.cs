using System.Security.Cryptography;
using System.Text;
using AssetLedger.Ledger.Checkpoints;
using Google.Protobuf;

namespace AssetLedger.Infrastructure.Ledger.Anchors.Fabric;

/// <summary>
/// A chaincode invocation proposal, built as the official Fabric Gateway clients build it:
/// <code>
/// SignedProposal{ proposal_bytes = Proposal{
///   header  = Header{ channel_header = ChannelHeader{ type ENDORSER_TRANSACTION, tx_id, timestamp, channel_id,
///                                                      extension = ChaincodeHeaderExtension{ chaincode_id{name} }, epoch 0 },
///                     signature_header = SignatureHeader{ creator = SerializedIdentity{mspid, PEM}, nonce (24 random bytes) } },
///   payload = ChaincodeProposalPayload{ input = ChaincodeInvocationSpec{ ChaincodeSpec{ type NODE, chaincode_id{name},
///                                                                       input{ args = [function, arguments…] } } } } },
///   signature = ECDSA(SHA-256(proposal_bytes)) }
/// </code>
/// The transaction id is hex(SHA-256(nonce ‖ creator)), as Fabric defines it (and the peer checks it).
/// <see cref="ToBytes"/> is the offline-signing form of the official clients (a <c>gateway.ProposedTransaction</c>).
/// </summary>
public sealed class FabricProposal
{
    public const int NonceLength = 24;

    readonly Protos.SignedProposal _signed;

    FabricProposal(string transactionId, string channelId, string chaincodeName, byte[] nonce, DateTimeOffset timestamp, byte[] creator, byte[] proposalBytes)
    {
        TransactionId = transactionId;
        ChannelId = channelId;
        ChaincodeName = chaincodeName;
        Nonce = nonce;
        Timestamp = timestamp;
        Creator = creator;
        _signed = new Protos.SignedProposal { ProposalBytes = ByteString.CopyFrom(proposalBytes) };
    }

    public string TransactionId { get; }
    public string ChannelId { get; }
    public string ChaincodeName { get; }
    public byte[] Nonce { get; }
    public DateTimeOffset Timestamp { get; }
    public byte[] Creator { get; }

    /// <summary>The serialized <c>protos.Proposal</c>: what is signed.</summary>
    public byte[] ProposalBytes => _signed.ProposalBytes.ToByteArray();

    /// <summary>SHA-256 of <see cref="ProposalBytes"/>, the digest the client's key signs.</summary>
    public byte[] Digest => SHA256.HashData(_signed.ProposalBytes.Span);

    public byte[] Signature => _signed.Signature.ToByteArray();
    public bool IsSigned => !_signed.Signature.IsEmpty;

    internal Protos.SignedProposal Signed => IsSigned ? _signed : throw new InvalidOperationException("The proposal is not signed.");

    public static string TransactionIdOf(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> creator)
    {
        var salted = new byte[nonce.Length + creator.Length];
        nonce.CopyTo(salted);
        creator.CopyTo(salted.AsSpan(nonce.Length));
        return Convert.ToHexStringLower(SHA256.HashData(salted));
    }

    public static FabricProposal Create(FabricIdentity identity, string channelId, string chaincodeName, string function, IEnumerable<string> arguments,
        byte[]? nonce = null, DateTimeOffset? timestamp = null) =>
        Create(identity.Creator, channelId, chaincodeName, function, arguments.Select(Encoding.UTF8.GetBytes), nonce, timestamp);

    public static FabricProposal Create(byte[] creator, string channelId, string chaincodeName, string function, IEnumerable<byte[]> arguments,
        byte[]? nonce = null, DateTimeOffset? timestamp = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(channelId);
        ArgumentException.ThrowIfNullOrEmpty(chaincodeName);
        ArgumentException.ThrowIfNullOrEmpty(function);
        nonce ??= RandomNumberGenerator.GetBytes(NonceLength);
        // Milliseconds, as the official Node client's Timestamp.fromDate(new Date()).
        var at = CheckpointBody.Truncate(timestamp ?? DateTimeOffset.UtcNow);
        var txId = TransactionIdOf(nonce, creator);
        var chaincodeId = new Protos.ChaincodeID { Name = chaincodeName };

        var channelHeader = new Common.ChannelHeader
        {
            Type = (int)Common.HeaderType.EndorserTransaction,
            TxId = txId,
            Timestamp = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(at),
            ChannelId = channelId,
            Extension = new Protos.ChaincodeHeaderExtension { ChaincodeId = chaincodeId }.ToByteString(),
            Epoch = 0,
        };
        var signatureHeader = new Common.SignatureHeader { Creator = ByteString.CopyFrom(creator), Nonce = ByteString.CopyFrom(nonce) };
        var header = new Common.Header { ChannelHeader = channelHeader.ToByteString(), SignatureHeader = signatureHeader.ToByteString() };

        var input = new Protos.ChaincodeInput();
        input.Args.Add(ByteString.CopyFromUtf8(function));
        input.Args.AddRange(arguments.Select(ByteString.CopyFrom));
        var spec = new Protos.ChaincodeSpec { Type = Protos.ChaincodeSpec.Types.Type.Node, ChaincodeId = chaincodeId, Input = input };
        var payload = new Protos.ChaincodeProposalPayload { Input = new Protos.ChaincodeInvocationSpec { ChaincodeSpec = spec }.ToByteString() };

        var proposal = new Protos.Proposal { Header = header.ToByteString(), Payload = payload.ToByteString() };
        return new FabricProposal(txId, channelId, chaincodeName, nonce, at, creator, proposal.ToByteArray());
    }

    /// <summary>Signs the proposal with the identity's key (DER, low S).</summary>
    public FabricProposal Sign(FabricIdentity identity) => SetSignature(identity.SignDigest(Digest));

    /// <summary>Sets a signature made elsewhere over <see cref="Digest"/> (an HSM, another process).</summary>
    public FabricProposal SetSignature(byte[] signature)
    {
        _signed.Signature = ByteString.CopyFrom(signature);
        return this;
    }

    /// <summary>The official clients' offline-signing form: <c>gateway.ProposedTransaction{transaction_id, proposal}</c>.</summary>
    public byte[] ToBytes() => new Gateway.ProposedTransaction { TransactionId = TransactionId, Proposal = _signed }.ToByteArray();
}
