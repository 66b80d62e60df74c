using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AssetLedger.Domain.Common;

namespace AssetLedger.Application.Commands;

/// <summary>
/// A signed payload is one command, once: the append that records it claims the payload's hash as a unique key, so
/// the same signed request sent again, however late, and by whoever captured it, is refused by the event store.
/// </summary>
public static class SignedCommandClaims
{
    public const string Prefix = "signed-command:";

    public static readonly DomainError Replayed = new("signature.replayed",
        "This signed payload was already used by a recorded command; a signature authorises one command. Sign the new command afresh.", ErrorKind.Conflict);

    /// <summary>The key the command's signature claims, or null when it is unsigned.</summary>
    public static string? KeyOf(CommandContext context)
    {
        if (context.Signature is null) return null;
        using var doc = JsonDocument.Parse(context.Signature);
        var payload = doc.RootElement.GetProperty("payload").GetString()!;
        return Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(payload)));
    }
}
