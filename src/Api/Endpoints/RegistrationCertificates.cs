using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Nodes;
using AssetLedger.Api.Audit;
using AssetLedger.Api.Hosting;
using AssetLedger.Api.Problems;
using AssetLedger.Application.Diagnostics;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Participants;
using AssetLedger.Domain.Registrations;
using AssetLedger.Ledger.Canonical;
using AssetLedger.Projections.Registrations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.IO;
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
            .WithSummary("The search as a certificate (ZIP, 查询证明): criteria, time, every registration and pledge found, a page of them with their events proven against an anchored checkpoint")
            .Produces(StatusCodes.Status200OK, typeof(Stream), ZipType);

    /// <param name="wait">Seconds to wait for the read models' position to reach an anchored checkpoint (0–30, default 5) before answering 409.</param>
    /// <param name="page">Which page of the answer to prove (from 1, default 1); every page lists all the matches.</param>
    /// <param name="pageSize">Entries (registrations, then pledges) a page proves (1–100, default 25).</param>
    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> Certificate([MaxLength(RegistrationLimits.Name)] string? debtorName,
        [MaxLength(18), RegularExpression(CreditCode.Pattern)] string? creditCode, [MaxLength(RegistryEndpoints.MaxKeyLength)] string? assetKey,
        [Range(0, EvidenceEndpoints.MaxWaitSeconds)] int? wait, [Range(1, int.MaxValue)] int? page, [Range(1, RegistrationLimits.MaxCertificatePageSize)] int? pageSize,
        RegistrationQueries queries, IEvidenceExport exporter, RecyclableMemoryStreamManager buffers, HttpContext http, CancellationToken ct)
    {
        var criteria = RegistrationEndpoints.Criteria(debtorName, creditCode, assetKey);
        if (criteria.Error is { } invalid) return P.From(invalid);
        if (wait is < 0 or > EvidenceEndpoints.MaxWaitSeconds) return P.From(EvidenceEndpoints.WaitOutOfRange);
        if (pageSize is < 1 or > RegistrationLimits.MaxCertificatePageSize)
            return P.From(RequestErrors.Invalid("pageSize", $"pageSize is 1 to {RegistrationLimits.MaxCertificatePageSize} entries."));
        EncumbranceSearch found;
        using (Stages.Start(Stages.CertificateSearch)) found = await queries.Search(criteria.Value!, ct);
        var paging = CertificatePage.Take(found, page ?? 1, pageSize ?? RegistrationLimits.CertificatePageSize);
        if (paging is null)
            return P.From(RequestErrors.Invalid("page", $"page is 1 to {CertificatePage.PagesOf(found, pageSize ?? RegistrationLimits.CertificatePageSize)} for this answer."));
        var answer = found with { Registrations = paging.Registrations, Pledges = paging.Pledges };
        // Everything the answer says comes from events at or before the read models' position: the checkpoint must hold it.
        var needed = Math.Max(1, answer.ProjectedThrough);
        long size;
        using (Stages.Start(Stages.CertificateAnchored)) size = await exporter.WaitForAnchored(needed, TimeSpan.FromSeconds(wait ?? EvidenceEndpoints.DefaultWaitSeconds), ct);
        if (size < needed) return EvidenceEndpoints.NotAnchored(http, $"The search's read models (log position {needed})", size);
        var streams = answer.Registrations.Select(r => new RegistrationId(r.RegistrationId).StreamId).ToList();
        // Pooled: the answer (about 90 KB at a page of 25) returns its blocks when the response is sent, instead of a
        // growing array on the large-object heap per certificate.
        var buffer = buffers.GetStream("certificate");
        var export = await exporter.ExportSearch(streams, [.. answer.Pledges.Select(p => p.LockId)], Json(criteria.Value!, answer, paging, found, size), size, buffer, ct);
        buffer.Position = 0;
        return TypedResults.File(buffer, ZipType, export.FileName);
    }

    /// <summary>search.json: RFC 8785 canonical JSON of what was asked, when, and what the registry answered.</summary>
    static string Json(RegistrationCriteria c, EncumbranceSearch answer, CertificatePage page, EncumbranceSearch all, long treeSize)
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
            // The page's claims (docs/search-certificate.md §2): which slice of the whole answer it proves, and every match of it.
            ["page"] = new JsonObject { ["number"] = page.Number, ["of"] = page.Pages, ["size"] = page.Size, ["first"] = page.First, ["count"] = page.Count, ["total"] = page.Total },
            ["matches"] = new JsonObject
            {
                ["registrations"] = new JsonArray([.. all.Registrations.Select(r => (JsonNode)r.Number)]),
                ["pledges"] = new JsonArray([.. all.Pledges.Select(p => (JsonNode)p.LockId)]),
            },
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

/// <summary>
/// One page of a search's answer: its entries are the registrations, then the pledges, in the search's order; page
/// <c>n</c> holds entries <c>(n−1)·size+1</c> to <c>n·size</c> (1-based). An empty answer is one empty page.
/// </summary>
sealed record CertificatePage(int Number, int Pages, int Size, int First, int Total, IReadOnlyList<RegistrationView> Registrations, IReadOnlyList<PledgeView> Pledges)
{
    public int Count => Registrations.Count + Pledges.Count;

    public static int PagesOf(EncumbranceSearch answer, int size) => Math.Max(1, (answer.Registrations.Count + answer.Pledges.Count + size - 1) / size);

    /// <summary>The page, or null when there is no such page.</summary>
    public static CertificatePage? Take(EncumbranceSearch answer, int number, int size)
    {
        var pages = PagesOf(answer, size);
        if (number < 1 || number > pages) return null;
        var skip = (number - 1) * size;
        var registrations = answer.Registrations.Skip(skip).Take(size).ToList();
        var pledges = answer.Pledges.Skip(Math.Max(0, skip - answer.Registrations.Count)).Take(size - registrations.Count).ToList();
        return new CertificatePage(number, pages, size, skip + 1, answer.Registrations.Count + answer.Pledges.Count, registrations, pledges);
    }
}
