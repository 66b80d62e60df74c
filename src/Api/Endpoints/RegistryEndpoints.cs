using System.ComponentModel.DataAnnotations;
using AssetLedger.Api.Contracts;
using AssetLedger.Api.Audit;
using AssetLedger.Api.Hosting;
using AssetLedger.Api.Security;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using AssetLedger.Projections.Registry;
using AssetLedger.Api.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using static AssetLedger.Api.Problems.RequestErrors;
using P = AssetLedger.Api.Problems.Problems;

namespace AssetLedger.Api.Endpoints;

/// <summary>
/// The public registry search (like 中登网): any authenticated participant, e.g. a bank before it lends, asks whether an
/// asset is registered under a key and what locks it carries. Owner identity and amounts only for those who may see them.
/// </summary>
public static class RegistryEndpoints
{
    /// <summary>receipt:{warehouseId}:{receiptNumber} at its longest, with room to spare.</summary>
    public const int MaxKeyLength = 300;

    public static RouteGroupBuilder MapRegistry(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/registry").WithTags("Registry").RequireAuthorization()
            .AddEndpointFilter<AccessAuditFilter>()
            .WithReadProblems().ProducesProblem(422);
        g.MapGet("/encumbrances", Notice)
            .WithSummary("Encumbrance notice for a key (receipt number + warehouse, bill number + debtor, or content hash): exists?, status, every open lock");
        return g;
    }

    /// <param name="key">The natural key as the registry writes it: receipt:{warehouseId}:{receiptNumber}, receivable:{debtorId}:{billNumber} or intangible:{sha256}.</param>
    static async Task<Results<Ok<EncumbranceNotice>, ProblemHttpResult>> Notice(
        [MaxLength(MaxKeyLength)] string? key, [MaxLength(ParticipantId.MaxLength), RegularExpression(ParticipantId.Pattern)] string? warehouseId, [MaxLength(AssetLimits.Text)] string? receiptNumber,
        [MaxLength(ParticipantId.MaxLength), RegularExpression(ParticipantId.Pattern)] string? debtorId, [MaxLength(AssetLimits.Text)] string? billNumber, [RegularExpression(AssetDetailsRules.Sha256Pattern)] string? contentSha256,
        RegistryQueries registry, IClock clock, HttpContext http, CancellationToken ct)
    {
        if (QueryRules.FirstOf(QueryRules.AssetText(receiptNumber, "receiptNumber"), QueryRules.AssetText(billNumber, "billNumber")) is { } tooLong) return P.From(tooLong);
        var resolved = KeyOf(key, warehouseId, receiptNumber, debtorId, billNumber, contentSha256);
        if (resolved.Error is { } invalid) return P.From(invalid);
        var naturalKey = resolved.Value!;
        var (record, projectedThrough) = await registry.Find(naturalKey, ct);
        AccessAuditFilter.SetResource(http, record is null ? $"key:{naturalKey}" : $"asset:{record.Asset.Id}");
        var notice = Disclosures.Notice(naturalKey, http.User.ToActor(), record, clock.UtcNow, projectedThrough)
            with { SearchReference = AccessAuditFilter.IdOf(http) };
        return TypedResults.Ok(notice);
    }

    internal static Result<string> KeyOf(string? key, string? warehouseId, string? receiptNumber, string? debtorId, string? billNumber, string? sha)
    {
        var given = new[] { key is not null, warehouseId is not null || receiptNumber is not null, debtorId is not null || billNumber is not null, sha is not null }.Count(x => x);
        if (given != 1)
            return Invalid("key", "Name one asset: key=receipt:{warehouseId}:{receiptNumber} (or receivable:…, intangible:…), or warehouseId and receiptNumber, or debtorId and billNumber, or contentSha256.");
        if (key is not null)
            return key.Length <= MaxKeyLength && (key.StartsWith("receipt:", StringComparison.Ordinal) || key.StartsWith("receivable:", StringComparison.Ordinal)
                                         || key.StartsWith("intangible:", StringComparison.Ordinal))
                ? key : Invalid("key", "key must be receipt:{warehouseId}:{receiptNumber}, receivable:{debtorId}:{billNumber} or intangible:{sha256}.");
        if (warehouseId is not null || receiptNumber is not null)
            return ParticipantId.IsWellFormed(warehouseId) && !string.IsNullOrWhiteSpace(receiptNumber)
                ? AssetDetailsRules.KeyOf(AssetKind.WarehouseReceipt, new AssetDetails { Warehouse = new ParticipantId(warehouseId!), ReceiptNumber = receiptNumber })
                : Invalid("receiptNumber", "A receipt is named by warehouseId (a participant id) and receiptNumber together.");
        if (debtorId is not null || billNumber is not null)
            return ParticipantId.IsWellFormed(debtorId) && !string.IsNullOrWhiteSpace(billNumber)
                ? AssetDetailsRules.KeyOf(AssetKind.Receivable, new AssetDetails { Debtor = new ParticipantId(debtorId!), BillNumber = billNumber })
                : Invalid("billNumber", "A receivable is named by debtorId (a participant id) and billNumber together.");
        return AssetDetailsRules.Sha256Hex().IsMatch(sha!)
            ? AssetDetailsRules.KeyOf(AssetKind.Intangible, new AssetDetails { ContentSha256 = sha })
            : Invalid("contentSha256", "contentSha256 must be 64 lower-case hex digits.");
    }
}
