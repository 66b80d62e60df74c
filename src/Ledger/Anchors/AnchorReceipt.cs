namespace AssetLedger.Ledger.Anchors;

/// <summary>A checkpoint recorded by an anchor, as <c>anchors.json</c> of an evidence bundle carries it.</summary>
/// <param name="Anchor">The name of the anchor that recorded it (<c>local</c>, <c>evm:31337</c>, …).</param>
/// <param name="TransactionReference">Where to find it there: a transaction id, a log sequence number.</param>
/// <param name="ProofJson">Whatever proves it to someone who does not trust us (JSON object), anchor-specific.</param>
public sealed record AnchorReceipt(string Anchor, long TreeSize, string TransactionReference, DateTimeOffset AnchoredAt, string ProofJson);
