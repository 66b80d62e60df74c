using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace AssetLedger.Ledger.Anchors;

/// <summary>
/// The offline check of the signed transaction a Fabric receipt carries (its proof's <c>envelope</c>): that it is the
/// transaction the receipt names (the transaction id is SHA-256 of its nonce and creator, as Fabric derives it; the
/// channel; the chaincode; the record the chaincode answered holds the receipt's size, root, previous root and
/// signature), that the client who sent it signed it, and — against MSP root certificates the verifier pins from
/// outside the bundle — that every endorsement is a peer of its organisation, signed, and that each pinned
/// organisation endorsed it. Pinning both consortium organisations' roots proves a checkpoint vouched for by an
/// organisation other than the registry's operator.
/// </summary>
public static class FabricEnvelopeCheck
{
    /// <summary>Problems found (empty: the envelope holds).</summary>
    /// <param name="mspRoots">MSP id → PEM root certificate(s) of that MSP, pinned by the verifier; empty: endorsers are not checked against roots.</param>
    public static IReadOnlyList<string> Offline(FabricAnchorProof proof, IReadOnlyDictionary<string, string> mspRoots)
    {
        var problems = new List<string>();
        FabricTransaction tx;
        try { tx = FabricTransaction.Parse(Convert.FromBase64String(proof.Envelope ?? "")); }
        catch (FormatException e) { return [$"the envelope is not a Fabric endorser transaction ({e.Message})"]; }
        void Expect(bool ok, string what) { if (!ok) problems.Add(what); }

        Expect(tx.HeaderType == FabricTransaction.EndorserTransaction, $"the envelope is of type {tx.HeaderType}, not an endorser transaction");
        Expect(tx.TransactionId == proof.TransactionId, $"the envelope is transaction {tx.TransactionId}, not {proof.TransactionId}");
        Expect(tx.DerivedTransactionId == tx.TransactionId, "the transaction id is not SHA-256 of the envelope's nonce and creator");
        Expect(tx.ChannelId == proof.Channel, $"the envelope is for channel {tx.ChannelId}, not {proof.Channel}");
        Expect(tx.ChaincodeName == proof.Chaincode, $"the envelope invoked chaincode {tx.ChaincodeName}, not {proof.Chaincode}");
        Expect(tx.ResponseStatus == 200, $"the chaincode answered status {tx.ResponseStatus}");
        CheckRecord(tx, proof, Expect);

        var (creatorMsp, creatorPem) = Safe(() => FabricTransaction.Identity(tx.Creator));
        Expect(creatorMsp == proof.MspId, $"the envelope was sent by {creatorMsp}, the receipt says {proof.MspId}");
        Expect(creatorPem is not null && Verifies(creatorPem, tx.Payload, tx.Signature), "the client's signature over the envelope does not verify with its certificate");

        var endorsedBy = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (e, i) in tx.Endorsements.Select((e, i) => (e, i + 1)))
        {
            var signed = Verifies(e.CertificatePem, [.. tx.ProposalResponsePayload, .. e.Endorser], e.Signature);
            Expect(signed, $"endorsement {i} ({e.MspId}): the signature over the proposal response does not verify with the endorser's certificate");
            if (mspRoots.Count == 0) continue;
            if (!mspRoots.TryGetValue(e.MspId, out var roots)) continue;  // an organisation the verifier does not vouch for proves nothing, and harms nothing
            var issued = IssuedBy(e.CertificatePem, roots, tx.Timestamp);
            Expect(issued, $"endorsement {i} ({e.MspId}): the endorser's certificate does not chain to the pinned {e.MspId} root");
            var peer = IsPeer(e.CertificatePem);
            Expect(peer, $"endorsement {i} ({e.MspId}): the endorser is not a peer (its certificate's OU is not 'peer')");
            if (signed && issued && peer) endorsedBy.Add(e.MspId);
        }
        foreach (var msp in mspRoots.Keys.Where(m => !endorsedBy.Contains(m)))
            problems.Add($"no valid endorsement by a peer of {msp} (a pinned organisation)");
        return problems;
    }

    /// <summary>The chaincode's answer is the record it stored: the receipt's checkpoint under this transaction.</summary>
    static void CheckRecord(FabricTransaction tx, FabricAnchorProof proof, Action<bool, string> expect)
    {
        try
        {
            using var doc = JsonDocument.Parse(tx.ResponsePayload);
            var r = doc.RootElement;
            expect(r.GetProperty("size").GetInt64() == proof.TreeSize, $"the chaincode recorded size {r.GetProperty("size")}, not {proof.TreeSize}");
            expect(r.GetProperty("root").GetString() == proof.Root, "the chaincode recorded another root");
            expect(r.GetProperty("prev").GetString() == proof.Prev, "the chaincode recorded another previous root");
            expect(r.GetProperty("sig").GetString() == proof.Sig, "the chaincode recorded another signature");
            expect(r.GetProperty("txId").GetString() == proof.TransactionId, "the chaincode recorded another transaction id");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            expect(false, $"the chaincode's answer is not a checkpoint record ({e.Message})");
        }
    }

    static (string? MspId, string? Pem) Safe(Func<(string, string)> read)
    {
        try { return read(); }
        catch (FormatException) { return (null, null); }
    }

    static bool Verifies(string certificatePem, byte[] message, byte[] derSignature)
    {
        try
        {
            using var cert = X509Certificate2.CreateFromPem(certificatePem);
            using var key = cert.GetECDsaPublicKey();
            return key is not null && key.VerifyData(message, derSignature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException) { return false; }
    }

    /// <summary>The certificate chains to one of the pinned roots (and only those), valid at the time the client signed into the transaction.</summary>
    static bool IssuedBy(string certificatePem, string rootsPem, DateTimeOffset at)
    {
        try
        {
            using var cert = X509Certificate2.CreateFromPem(certificatePem);
            var roots = new X509Certificate2Collection();
            roots.ImportFromPem(rootsPem);
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.DisableCertificateDownloads = true;   // offline: no I/O
            chain.ChainPolicy.VerificationTime = at.UtcDateTime;
            return chain.Build(cert);
        }
        catch (CryptographicException) { return false; }
    }

    /// <summary>Fabric's node OUs: an endorser's certificate carries OU=peer.</summary>
    static bool IsPeer(string certificatePem)
    {
        using var cert = X509Certificate2.CreateFromPem(certificatePem);
        return cert.SubjectName.EnumerateRelativeDistinguishedNames()
            .Any(rdn => rdn.GetSingleElementType().Value == "2.5.4.11" && rdn.GetSingleElementValue() == "peer");
    }
}
