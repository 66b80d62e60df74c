using System.Security.Cryptography;

namespace AssetLedger.Ledger.Anchors;

/// <summary>One endorsement of a Fabric transaction: the endorser (a serialized <c>msp.SerializedIdentity</c>) and its signature.</summary>
/// <param name="Endorser">The serialized identity, as signed.</param>
/// <param name="MspId">Its MSP id.</param>
/// <param name="CertificatePem">Its X.509 certificate, PEM, as its MSP issued it.</param>
/// <param name="Signature">ECDSA (DER) over SHA-256 of <c>proposal_response_payload ‖ endorser</c>.</param>
public sealed record FabricEndorsement(byte[] Endorser, string MspId, string CertificatePem, byte[] Signature);

/// <summary>
/// The parts of a signed Fabric endorser transaction (<c>common.Envelope</c>) that a verifier needs offline, read
/// from the protobuf wire format by hand (the Ledger takes no protobuf or gRPC package):
/// <code>
/// Envelope{ payload = Payload{ header{ channel_header = ChannelHeader{type 3, timestamp, channel_id, tx_id},
///                                      signature_header = SignatureHeader{creator, nonce} },
///                              data = Transaction{ actions[0] = TransactionAction{ payload = ChaincodeActionPayload{
///                                  action = ChaincodeEndorsedAction{ proposal_response_payload, endorsements[] } } } } },
///           signature }
/// proposal_response_payload = ProposalResponsePayload{ extension = ChaincodeAction{ response{status, payload}, chaincode_id{name} } }
/// </code>
/// Field numbers are those of Fabric's protos (chain/fabric/protos).
/// </summary>
public sealed record FabricTransaction(
    byte[] Payload, byte[] Signature, int HeaderType, string ChannelId, string TransactionId, DateTimeOffset Timestamp, byte[] Creator, byte[] Nonce,
    byte[] ProposalResponsePayload, IReadOnlyList<FabricEndorsement> Endorsements, string ChaincodeName, int ResponseStatus, byte[] ResponsePayload)
{
    public const int EndorserTransaction = 3;

    /// <summary>hex(SHA-256(nonce ‖ creator)): how Fabric derives a transaction id (the peers refuse any other).</summary>
    public string DerivedTransactionId => Convert.ToHexStringLower(SHA256.HashData([.. Nonce, .. Creator]));

    /// <summary>Parses a serialized Envelope; throws <see cref="FormatException"/> if it is not an endorser transaction.</summary>
    public static FabricTransaction Parse(byte[] envelope)
    {
        var env = Fields(envelope);
        var payload = One(env, 1, "Envelope.payload");
        var p = Fields(payload);
        var header = Fields(One(p, 1, "Payload.header"));
        var channelHeader = Fields(One(header, 1, "Header.channel_header"));
        var signatureHeader = Fields(One(header, 2, "Header.signature_header"));
        var tx = Fields(One(p, 2, "Payload.data"));
        var action = Fields(One(tx, 1, "Transaction.actions"));
        var actionPayload = Fields(One(action, 2, "TransactionAction.payload"));
        var endorsed = Fields(One(actionPayload, 2, "ChaincodeActionPayload.action"));
        var prp = One(endorsed, 1, "ChaincodeEndorsedAction.proposal_response_payload");
        var chaincodeAction = Fields(One(Fields(prp), 2, "ProposalResponsePayload.extension"));
        var response = Fields(Optional(chaincodeAction, 3));
        var chaincodeId = Fields(Optional(chaincodeAction, 4));
        var endorsements = endorsed.Where(f => f.Number == 2).Select(f =>
        {
            var e = Fields(f.Bytes);
            var endorser = One(e, 1, "Endorsement.endorser");
            var (mspId, pem) = Identity(endorser);
            return new FabricEndorsement(endorser, mspId, pem, One(e, 2, "Endorsement.signature"));
        }).ToList();
        var timestamp = Fields(Optional(channelHeader, 3));   // google.protobuf.Timestamp{seconds = 1, nanos = 2}
        var at = DateTimeOffset.FromUnixTimeSeconds((long)Varint(timestamp, 1)).AddTicks((long)Varint(timestamp, 2) / 100);
        return new FabricTransaction(payload, Optional(env, 2), (int)Varint(channelHeader, 1), Text(channelHeader, 4), Text(channelHeader, 5), at,
            One(signatureHeader, 1, "SignatureHeader.creator"), One(signatureHeader, 2, "SignatureHeader.nonce"), prp, endorsements,
            Text(chaincodeId, 2), (int)Varint(response, 1), Optional(response, 3));
    }

    /// <summary>The MSP id and PEM certificate of a serialized <c>msp.SerializedIdentity{mspid = 1, id_bytes = 2}</c>.</summary>
    public static (string MspId, string CertificatePem) Identity(byte[] serialized)
    {
        var f = Fields(serialized);
        return (Text(f, 1), System.Text.Encoding.UTF8.GetString(One(f, 2, "SerializedIdentity.id_bytes")));
    }

    readonly record struct Field(int Number, ulong Varint, byte[] Bytes);

    /// <summary>The fields of one message: varints and length-delimited values (fixed-width ones are skipped; Fabric's headers have none).</summary>
    static List<Field> Fields(byte[] message)
    {
        var fields = new List<Field>();
        var i = 0;
        while (i < message.Length)
        {
            var tag = ReadVarint(message, ref i);
            var number = (int)(tag >> 3);
            switch (tag & 7)
            {
                case 0: fields.Add(new Field(number, ReadVarint(message, ref i), [])); break;
                case 1: i += 8; break;
                case 2:
                    var length = ReadVarint(message, ref i);
                    if (length > (ulong)(message.Length - i)) throw new FormatException("A length-delimited field runs past the end of its message.");
                    fields.Add(new Field(number, 0, message[i..(i + (int)length)]));
                    i += (int)length;
                    break;
                case 5: i += 4; break;
                default: throw new FormatException($"Wire type {tag & 7} is not protobuf's.");
            }
            if (i > message.Length) throw new FormatException("A fixed-width field runs past the end of its message.");
        }
        return fields;
    }

    static ulong ReadVarint(byte[] b, ref int i)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (i >= b.Length) throw new FormatException("A varint runs past the end of its message.");
            var x = b[i++];
            value |= (ulong)(x & 0x7f) << shift;
            if (x < 0x80) return value;
        }
        throw new FormatException("A varint is longer than 10 bytes.");
    }

    static byte[] One(List<Field> fields, int number, string what) =>
        fields.LastOrDefault(f => f.Number == number).Bytes is { Length: > 0 } b ? b : throw new FormatException($"{what} is missing.");

    static byte[] Optional(List<Field> fields, int number) => fields.LastOrDefault(f => f.Number == number).Bytes ?? [];

    static ulong Varint(List<Field> fields, int number) => fields.LastOrDefault(f => f.Number == number).Varint;

    static string Text(List<Field> fields, int number) => System.Text.Encoding.UTF8.GetString(Optional(fields, number));
}
