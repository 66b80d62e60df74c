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
