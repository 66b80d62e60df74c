using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Nodes;
using AssetLedger.Api.Audit;
using AssetLedger.Api.Hosting;
using AssetLedger.Api.Problems;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Participants;
using AssetLedger.Domain.Registrations;
using AssetLedger.Ledger.Canonical;
using AssetLedger.Projections.Registrations;
using Microsoft.AspNetCore.Http.HttpResults;
using P = AssetLedger.Api.Problems.Problems;

namespace AssetLedger.Api.Endpoints;

/// <summary>
/// The search certificate (查询证明, docs/search-certificate.md): the search's criteria, time and answer as search.json
/// in an evidence bundle of kind <c>search</c> that proves every event the answer rests on against an anchored (and,
/// where witnesses are registered, cosigned) checkpoint. <c>assetledger verify</c> checks it offline.
/// </summary>
public static class RegistrationCertificates
{
    const string ZipType = "application/zip";

    public static void MapCertificate(this RouteGroupBuilder g) =>
        g.MapGet("/certificate", Certificate).AddEndpointFilter<AccessAuditFilter>().WithReadProblems().ProducesProblem(409).ProducesProblem(422)
            .WithSummary("The search as a certificate (ZIP, 查询证明): criteria, time, every registration and pledge found, their events proven against an anchored checkpoint")
            .Produces(StatusCodes.Status200OK, typeof(Stream), ZipType);

    /// <param name="wait">Seconds to wait for the read models' position to reach an anchored checkpoint (0–30, default 5) before answering 409.</param>
    static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> Certificate([MaxLength(RegistrationLimits.Name)] string? debtorName,
        [MaxLength(18), RegularExpression(CreditCode.Pattern)] string? creditCode, [MaxLength(RegistryEndpoints.MaxKeyLength)] string? assetKey,
        [Range(0, EvidenceEndpoints.MaxWaitSeconds)] int? wait, RegistrationQueries queries, IEvidenceExport exporter, HttpContext http, CancellationToken ct)
    {
        var criteria = RegistrationEndpoints.Criteria(debtorName, creditCode, assetKey);
        if (criteria.Error is { } invalid) return P.From(invalid);
        if (wait is < 0 or > EvidenceEndpoints.MaxWaitSeconds) return P.From(EvidenceEndpoints.WaitOutOfRange);
        var answer = await queries.Search(criteria.Value!, ct);
        // Everything the answer says comes from events at or before the read models' position: the checkpoint must hold it.
        var needed = Math.Max(1, answer.ProjectedThrough);
        var size = await exporter.WaitForAnchored(needed, TimeSpan.FromSeconds(wait ?? EvidenceEndpoints.DefaultWaitSeconds), ct);
        if (size < needed) return EvidenceEndpoints.NotAnchored(http, $"The search's read models (log position {needed})", size);
        var streams = answer.Registrations.Select(r => new RegistrationId(r.RegistrationId).StreamId).ToList();
        var buffer = new MemoryStream();
        var export = await exporter.ExportSearch(streams, [.. answer.Pledges.Select(p => p.LockId)], Json(criteria.Value!, answer, size), size, buffer, ct);
        buffer.Position = 0;
        return TypedResults.File(buffer, ZipType, export.FileName);
    }

    /// <summary>search.json: RFC 8785 canonical JSON of what was asked, when, and what the registry answered.</summary>
    static string Json(RegistrationCriteria c, EncumbranceSearch answer, long treeSize)
    {
        var criteria = new JsonObject();
        if (c.DebtorName is { } n) criteria["debtorName"] = n;
        if (c.CreditCode is { } code) criteria["creditCode"] = code;
        if (c.NaturalKey is { } key) criteria["assetKey"] = key;
        var doc = new JsonObject
        {
            ["criteria"] = criteria,
            ["searchedAt"] = answer.TakenAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'"),
            ["projectedThrough"] = answer.ProjectedThrough,
            ["treeSize"] = treeSize,
            ["registrations"] = new JsonArray([.. answer.Registrations.Select(r => (JsonNode)new JsonObject
            {
                ["registrationId"] = r.RegistrationId.ToString("N"), ["streamId"] = new RegistrationId(r.RegistrationId).StreamId, ["number"] = r.Number,
                ["registrantId"] = r.RegistrantId, ["debtorName"] = r.DebtorName, ["debtorCreditCode"] = r.DebtorCreditCode,
                ["collateralKind"] = r.CollateralKind, ["assetId"] = r.AssetId?.ToString("N"), ["collateralDescription"] = r.CollateralDescription,
                ["expiresAt"] = r.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'"), ["disputed"] = r.Disputed, ["courtCase"] = r.CourtCase,
            })]),
            ["pledges"] = new JsonArray([.. answer.Pledges.Select(p => (JsonNode)new JsonObject
            {
                ["lockId"] = p.LockId, ["assetId"] = p.AssetId.ToString("N"), ["streamId"] = new AssetId(p.AssetId).StreamId, ["naturalKey"] = p.NaturalKey,
                ["ownerId"] = p.OwnerId, ["venueId"] = p.VenueId,
            })]),
        };
        return Jcs.Canonicalize(doc.ToJsonString()) + "\n";
    }
}
