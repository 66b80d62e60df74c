using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AssetLedger.Domain.Chains;
using AssetLedger.Domain.Common;

namespace AssetLedger.Application.Chains;

/// <summary>
/// The Domain checks that a TLS root looks like a PEM certificate (and is no private key); parsing it is cryptography,
/// which the Domain does not reference, so it is checked here, after the decision and before the append: a root the
/// anchor could not load later is refused now.
/// </summary>
public static class TlsRoots
{
    public static DomainError? Unreadable(IChainCommand command)
    {
        // A witness key is checked the same way: the Domain sees its shape, the Ledger parses it.
        if (command is RegisterWitness w && !Ledger.Witness.CosignerKey.TryParse(w.VerifierKey, out _))
            return ChainErrors.Invalid("verifierKey", "verifierKey is not a cosignature/v1 Ed25519 verifier key (type 0x04) whose id matches its name and key.");
        var pems = command switch
        {
            RegisterNetwork n => n.TlsRootCertificates,
            ChangeNetworkEndpoints e => e.TlsRootCertificates,
            _ => null,
        };
        for (var i = 0; i < (pems?.Count ?? 0); i++)
            if (!Readable(pems![i]))
                return ChainErrors.Invalid($"tlsRootCertificates[{i}]", $"tlsRootCertificates[{i}] is not a readable X.509 certificate.");
        return null;
    }

    static bool Readable(string pem)
    {
        try
        {
            using var _ = X509Certificate2.CreateFromPem(pem);
            return true;
        }
        catch (CryptographicException) { return false; }
    }
}
