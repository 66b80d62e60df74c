using System.Collections.Frozen;
using AssetLedger.Domain.Common;

namespace AssetLedger.Domain.Integrations;

/// <summary>Every limit on an inbound notice: the signed notices' middleware and the API's contracts use these.</summary>
public static class NoticeLimits
{
    /// <summary>A notice's <c>webhook-id</c>: 1–128 printable ASCII characters without spaces (the idempotency key it becomes).</summary>
    public const int Id = 128;
    public const string IdPattern = "^[!-~]{1,128}$";
    /// <summary>A notice type's name (the longest is 14 characters).</summary>
    public const int Type = 32;
    /// <summary>A registered Ed25519 public key as text: whpk_ and 44 base64 characters.</summary>
    public const int PublicKey = 64;
}

/// <summary>
/// Which notices each external system sends (<c>POST /api/v1/integrations/{system}/notices</c>) and the refusals of a
/// notice before it becomes a command. What the command then may do is the asset decider's, as for any other command.
/// </summary>
public static class NoticeRules
{
    public const string GoodsReceived = "goods-received", GoodsReleased = "goods-released", TradeMatched = "trade-matched",
        LoanRepaid = "loan-repaid", CourtOrder = "court-order";

    /// <summary>System → the notice types it sends.</summary>
    public static readonly FrozenDictionary<string, string[]> TypesBySystem = new Dictionary<string, string[]>
    {
        ["wms"] = [GoodsReceived, GoodsReleased],
        ["trading"] = [TradeMatched],
        ["bank"] = [LoanRepaid],
        ["regulator"] = [CourtOrder],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static bool IsWellFormedId(string? id) => !string.IsNullOrEmpty(id) && id.Length <= NoticeLimits.Id && id.All(c => c is > ' ' and <= '~');

    public static DomainError UnknownSystem(string system) => new("notice.unknown_system",
        $"'{Shorten(system)}' is no system that sends notices; the systems are {string.Join(", ", TypesBySystem.Keys.Order())}.", ErrorKind.NotFound);

    /// <summary>The notice cannot become a command: an unknown type, or data its type needs is missing.</summary>
    public static DomainError Unmappable(string why, string field = "type") => new("notice.unmappable", why, ErrorKind.Invalid, field);

    public static DomainError UnknownType(string system, string? type) => Unmappable(
        $"A {system} notice is of type {string.Join(" or ", TypesBySystem[system])}, not '{Shorten(type ?? "")}'.");

    /// <summary>The notice is not signed by the participant it names (or that participant registered no credentials).</summary>
    public static DomainError SignatureInvalid(string detail) => new("notice.signature_invalid", detail, ErrorKind.Unauthenticated, "webhook-signature");

    public static DomainError Stale(TimeSpan tolerance) => new("notice.stale",
        $"webhook-timestamp must be the Unix time in seconds at which the notice was signed, within {tolerance.TotalMinutes:0} minutes of the registry's clock; sign it again now.",
        ErrorKind.Unauthenticated, "webhook-timestamp");

    public static readonly DomainError IdMissing = new("notice.id_invalid",
        $"webhook-id must be 1–{NoticeLimits.Id} printable ASCII characters without spaces, unique per notice (a retry repeats it).", ErrorKind.Unauthenticated, "webhook-id");

    public static readonly DomainError Unattributed = new("notice.unattributed",
        "The notice's body must be a JSON object whose \"participant\" names the participant that signed it.", ErrorKind.Unauthenticated, "participant");

    public static readonly DomainError IdReused = new("notice.id_reused",
        "This webhook-id was already used by another notice of yours (a different body); a new notice needs a new id, a retry the same body.", ErrorKind.Conflict, "webhook-id");

    public static readonly DomainError IdInProgress = new("notice.in_progress",
        "A notice with this webhook-id is still being handled; retry in a moment to get its answer.", ErrorKind.Conflict, "webhook-id");

    public static readonly DomainError NoCredentials = new("notice.credentials_invalid",
        "Register an HMAC secret (hmac: true), an Ed25519 public key (publicKey: whpk_ + base64 of its 32 bytes), or both.", ErrorKind.Invalid, "publicKey");

    public static readonly DomainError NoneRegistered = new("notice.no_credentials",
        "Your participant has no notice credentials registered; register them with PUT /api/v1/integrations/notice-credentials.", ErrorKind.NotFound);

    static string Shorten(string s) => s.Length <= 100 ? s : s[..100] + "…";
}
