namespace AssetLedger.Domain.Assets;

/// <summary>
/// Every length limit on an asset command's text, in one place. <see cref="AssetDecider"/> and <see cref="AssetDetailsRules"/>
/// enforce them; the Api checks only a request's shape and, where it must state a limit (a query filter), names these.
/// </summary>
public static class AssetLimits
{
    /// <summary>Receipt and bill numbers, commodity, title, an asset's media type.</summary>
    public const int Text = 200;

    /// <summary>Descriptions, comments and reasons.</summary>
    public const int LongText = 2000;

    /// <summary>A quantity's unit of measure, e.g. "t" or "bbl".</summary>
    public const int Unit = 16;

    public const int FreezeId = 64;

    /// <summary>Most parts one split makes (at least two): each is a new receipt and a stream written in the same transaction.</summary>
    public const int SplitParts = 100;

    /// <summary>An evidence document's media type, e.g. "application/pdf".</summary>
    public const int EvidenceMediaType = 100;
}
