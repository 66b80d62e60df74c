using System.ComponentModel.DataAnnotations;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Integrations;

namespace AssetLedger.Api.Contracts;

/// <summary>
/// An inbound notice from a participant's system, signed per Standard Webhooks by that participant (docs/integrations.md).
/// </summary>
/// <param name="Participant">The participant whose system sends it and whose credentials sign it; the command is that participant's.</param>
/// <param name="Type">wms: goods-received, goods-released; trading: trade-matched; bank: loan-repaid; regulator: court-order.</param>
public sealed record NoticeRequest([property: MaxLength(ParticipantId.MaxLength), RegularExpression(ParticipantId.Pattern)] string? Participant,
    [property: MaxLength(NoticeLimits.Type)] string? Type, NoticeData? Data);

/// <summary>What a notice says; each type reads the fields it needs (docs/integrations.md, "Inbound notices").</summary>
/// <param name="AssetId">The receipt or asset concerned; a goods-received notice without one registers a new receipt.</param>
/// <param name="Complete">goods-released: true when every remaining good left the warehouse (the receipt is cancelled) instead of a quantity.</param>
/// <param name="BuyerId">trade-matched: the buyer, the asset's new owner.</param>
/// <param name="OrderId">court-order: the order's number, the freeze's id.</param>
public sealed record NoticeData(string? AssetId = null,
    [property: MaxLength(ParticipantId.MaxLength), RegularExpression(ParticipantId.Pattern)] string? OwnerId = null,
    [property: MaxLength(AssetLimits.Text)] string? ReceiptNumber = null, [property: MaxLength(AssetLimits.Text)] string? Commodity = null,
    [property: RegularExpression(Decimals.Pattern)] string? Quantity = null, [property: MaxLength(AssetLimits.Unit)] string? Unit = null,
    [property: MaxLength(AssetLimits.Text)] string? DeliveryOrder = null, bool? Complete = null,
    [property: MaxLength(ParticipantId.MaxLength), RegularExpression(ParticipantId.Pattern)] string? BuyerId = null,
    [property: MaxLength(AssetLimits.FreezeId)] string? OrderId = null, [property: MaxLength(AssetLimits.LongText)] string? Reason = null);

/// <param name="Hmac">Issue a new HMAC secret for v1 signatures (shown once in the answer); default true without a public key.</param>
/// <param name="PublicKey">An Ed25519 public key for v1a signatures: whpk_ + base64 of its 32 bytes.</param>
public sealed record NoticeCredentialsRequest(bool? Hmac = null, [property: MaxLength(NoticeLimits.PublicKey)] string? PublicKey = null);

/// <param name="Secret">The HMAC secret (whsec_…) your systems sign v1 notices with: shown this once, store it now.</param>
public sealed record NoticeCredentialsView(string ParticipantId, bool Hmac, string? PublicKey, string RegisteredBy, DateTimeOffset RegisteredAt, string? Secret = null);
