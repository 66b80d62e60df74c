using System.Collections.Frozen;
using System.Reflection;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;

namespace AssetLedger.Domain.Webhooks;

/// <summary>
/// The CloudEvent type of each asset event: <c>cn.assetledger.asset.</c> and its stored name without the
/// <c>asset-</c> prefix (<c>asset-transferred-out</c> → <c>cn.assetledger.asset.transferred-out</c>). Stored names never
/// change, so neither do these.
/// </summary>
public static class WebhookEventTypes
{
    public const string Prefix = "cn.assetledger.asset.";

    /// <summary>Stored name → CloudEvent type, for every asset event.</summary>
    public static readonly FrozenDictionary<string, string> ByStoredName = typeof(IAssetEvent).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IAssetEvent).IsAssignableFrom(t))
        .Select(t => t.GetCustomAttribute<StoredEventAttribute>()!.Name)
        .ToFrozenDictionary(n => n, CloudEventType, StringComparer.Ordinal);

    public static IReadOnlyList<string> All { get; } = ByStoredName.Values.Order(StringComparer.Ordinal).ToArray();

    static string CloudEventType(string storedName) =>
        Prefix + (storedName.StartsWith("asset-", StringComparison.Ordinal) ? storedName["asset-".Length..] : storedName);
}
