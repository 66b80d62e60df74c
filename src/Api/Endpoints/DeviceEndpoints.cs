using AssetLedger.Api.Contracts;
using AssetLedger.Api.Hosting;
using AssetLedger.Application.Devices;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Devices;
using AssetLedger.Ledger.Devices;
using AssetLedger.Api.Problems;
using AssetLedger.Projections;
using AssetLedger.Projections.Devices;
using Microsoft.AspNetCore.Http.HttpResults;
using System.ComponentModel.DataAnnotations;
using static AssetLedger.Api.Contracts.RequestMapping;
using static AssetLedger.Api.Problems.RequestErrors;
using P = AssetLedger.Api.Problems.Problems;

namespace AssetLedger.Api.Endpoints;

/// <summary>
/// 物联网设备: the devices a warehouse hosts, confirmed by a second party, and their signed readings (COSE_Sign1, ES256)
/// delivered in batches. Each accepted reading is one event in the log; each refused one is counted by reason.
/// </summary>
public static class DeviceEndpoints
{
    public static RouteGroupBuilder MapDevices(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/devices").WithTags("Devices").RequireAuthorization();
        g.MapPost("/", Register).WithCommandProblems().WithSummary("Register a device the calling warehouse hosts, with its ECDSA P-256 public key");
        g.MapGet("/", List).WithReadProblems()
            .WithSummary("Devices you may see (your warehouse's, those you confirmed, those watching what you hold; a regulator or the operator: all), by host, status or watched asset, cursor paging");
        g.MapGet("/{id}", Get).WithReadProblems().WithSummary("A device: key, confirmation, watched assets, last counter, refused readings by reason (its stakeholders)");
        g.MapPost("/{id}/bindings", Bind).WithCommandProblems().WithSummary("Watch a receipt in the host warehouse's custody (the host)");
        g.MapPost("/{id}/bindings/remove", Unbind).WithCommandProblems().WithSummary("Stop watching an asset (the host)");
        g.MapPost("/{id}/confirmations", Confirm).WithCommandProblems().WithSummary("Vouch for the device's current key (a regulator, or the venue holding a watched asset; never the host)");
        g.MapPost("/{id}/key", RotateKey).WithCommandProblems().WithSummary("Rotate the device's key (the host); the new key needs a confirmation of its own");
        g.MapPost("/{id}/suspension", Suspend).WithCommandProblems().WithSummary("Suspend the device: its readings stop counting (host, regulator or operator)");
        g.MapPost("/{id}/reinstatement", Reinstate).WithCommandProblems().WithSummary("Reinstate a suspended device (whoever suspended it, or the operator)");
        g.MapPost("/{id}/decommission", Decommission).WithCommandProblems().WithSummary("Decommission the device for good (host, regulator or operator)");
        g.MapPost("/{id}/readings", Readings).WithCommandProblems().WithSummary("Deliver signed readings (COSE_Sign1 ES256, base64), up to 500 per request: each accepted or refused with its reason (the host or the operator)");
        return g;
    }

    static async Task<Results<Created<DeviceView>, ProblemHttpResult>> Register(RegisterDeviceRequest body, CommandServices s, IReadingRefusals refusals, CancellationToken ct)
    {
        var kind = ParseEnum<DeviceKind>(body.Kind, "kind");
        if (kind.Error is { } bad) return P.From(bad);
        var command = new RegisterDevice(body.Id ?? "", kind.Value, body.Site ?? "", body.Make ?? "", body.PublicKey ?? "", SignedReadings.KeyIdOf(body.PublicKey) ?? "", s.Actor, s.Now);
        var (view, problem) = await Send(command, s, refusals, ct);
        return problem is not null ? problem : TypedResults.Created($"/api/v1/devices/{view!.Id}", view);
    }

    /// <param name="status">Registered, Suspended or Decommissioned.</param>
    /// <param name="assetId">Only the devices watching this asset (32 hex).</param>
    static async Task<Results<Ok<DevicePage>, ProblemHttpResult>> List(string? host, [OneOf(typeof(DeviceStatus), "None")] string? status, string? assetId,
        string? cursor, [Range(1, DeviceQueries.MaxLimit)] int? limit, DeviceQueries devices, CommandServices s, CancellationToken ct)
    {
        if (QueryRules.PageSize(limit, DeviceQueries.MaxLimit) is { } badLimit) return P.From(badLimit);
        DeviceStatus? only = null;
        if (status is not null)
        {
            var parsed = ParseEnum<DeviceStatus>(status, "status");
            if (parsed.Error is { } bad || parsed.Value == DeviceStatus.None) return P.From(parsed.Error ?? Invalid("status", "status is Registered, Suspended or Decommissioned."));
            only = parsed.Value;
        }
        Guid? asset = null;
        if (assetId is not null)
        {
            if (!AssetId.TryParse(assetId, out var a)) return P.From(Invalid("assetId", "assetId is the 32-hex id of an asset."));
            asset = a.Value;
        }
        try { return TypedResults.Ok(await devices.List(s.Actor, host, only, asset, cursor, limit ?? 100, ct)); }
        catch (InvalidCursorException e) { return P.From(RequestErrors.InvalidCursor(e.Message)); }
    }

    static async Task<Results<Ok<DeviceView>, ProblemHttpResult>> Get(string id, DeviceReader devices, CommandServices s, IReadingRefusals refusals, CancellationToken ct) =>
        await devices.Visible(id, s.Actor, ct) is { } state
            ? TypedResults.Ok(DeviceView.Of(state, await refusals.Of(state.Id, ct)))
            : P.From(DeviceErrors.NotFound(id));

    static Task<Results<Ok<DeviceView>, ProblemHttpResult>> Bind(string id, DeviceBindingRequest body, CommandServices s, IReadingRefusals refusals, CancellationToken ct) =>
        AssetId.TryParse(body.AssetId, out var asset)
            ? Run(new BindDevice(id, asset, null, s.Actor, s.Now), s, refusals, ct)
            : Task.FromResult<Results<Ok<DeviceView>, ProblemHttpResult>>(P.From(Invalid("assetId", "assetId is required: the 32-hex id of a receipt your warehouse holds.")));

    static Task<Results<Ok<DeviceView>, ProblemHttpResult>> Unbind(string id, DeviceBindingRequest body, CommandServices s, IReadingRefusals refusals, CancellationToken ct) =>
        AssetId.TryParse(body.AssetId, out var asset)
            ? Run(new UnbindDevice(id, asset, s.Actor, s.Now), s, refusals, ct)
            : Task.FromResult<Results<Ok<DeviceView>, ProblemHttpResult>>(P.From(Invalid("assetId", "assetId is required: the 32-hex id of an asset the device watches.")));

    static Task<Results<Ok<DeviceView>, ProblemHttpResult>> Confirm(string id, CommandServices s, IReadingRefusals refusals, CancellationToken ct) =>
        Run(new ConfirmDevice(id, new HashSet<ParticipantId>(), s.Actor, s.Now), s, refusals, ct);

    static Task<Results<Ok<DeviceView>, ProblemHttpResult>> RotateKey(string id, RotateDeviceKeyRequest body, CommandServices s, IReadingRefusals refusals, CancellationToken ct) =>
        Run(new RotateDeviceKey(id, body.PublicKey ?? "", SignedReadings.KeyIdOf(body.PublicKey) ?? "", body.Reason ?? "", s.Actor, s.Now), s, refusals, ct);

    static Task<Results<Ok<DeviceView>, ProblemHttpResult>> Suspend(string id, DeviceReasonRequest body, CommandServices s, IReadingRefusals refusals, CancellationToken ct) =>
        Run(new SuspendDevice(id, body.Reason ?? "", s.Actor, s.Now), s, refusals, ct);

    static Task<Results<Ok<DeviceView>, ProblemHttpResult>> Reinstate(string id, CommandServices s, IReadingRefusals refusals, CancellationToken ct) =>
        Run(new ReinstateDevice(id, s.Actor, s.Now), s, refusals, ct);

    static Task<Results<Ok<DeviceView>, ProblemHttpResult>> Decommission(string id, DeviceReasonRequest body, CommandServices s, IReadingRefusals refusals, CancellationToken ct) =>
        Run(new DecommissionDevice(id, body.Reason ?? "", s.Actor, s.Now), s, refusals, ct);

    static async Task<Results<Ok<DeviceReadingsResult>, ProblemHttpResult>> Readings(string id, DeviceReadingsRequest body, DeviceReader devices, ReadingIngestion ingestion, CommandServices s, CancellationToken ct)
    {
        if (body.Readings is not { Count: > 0 } messages || messages.Any(m => string.IsNullOrEmpty(m)))
            return P.From(Invalid("readings", $"readings is a list of 1–{DeviceLimits.BatchMax} signed messages (COSE_Sign1, base64), none empty."));
        if (messages.Count > DeviceLimits.BatchMax) return P.From(Invalid("readings", $"At most {DeviceLimits.BatchMax} readings per request; send the rest in another."));
        if (messages.FirstOrDefault(m => m!.Length > DeviceLimits.MessageMaxLength) is not null)
            return P.From(Invalid("readings", $"A signed reading is at most {DeviceLimits.MessageMaxLength} characters of base64."));
        var (device, mayDeliver) = await devices.ForDelivery(id, s.Actor, ct);
        if (device is null) return P.From(DeviceErrors.NotFound(id));
        if (!mayDeliver) return P.From(DeviceErrors.NotHost(id));
        var outcome = await ingestion.Record(new RecordDeviceReadings(id, messages!, s.Actor, s.Now, s.Context()), ct);
        if (outcome.Error is { } error) return P.From(error);
        return TypedResults.Ok(new DeviceReadingsResult(
            [.. outcome.Accepted.Select(a => new AcceptedReadingView(a.Index, a.Counter, a.Position, a.Hash, a.Leaf))],
            [.. outcome.Refused.Select(r => new RefusedReadingView(r.Index, r.Code, r.Detail))],
            [.. (outcome.Alarms ?? []).Select(a => new RaisedAlarmView(a.Asset.ToString(), a.AlarmId, a.RuleId, a.Severity.ToString(), a.Position))]));
    }

    static async Task<Results<Ok<DeviceView>, ProblemHttpResult>> Run(IDeviceCommand command, CommandServices s, IReadingRefusals refusals, CancellationToken ct)
    {
        var (view, problem) = await Send(command, s, refusals, ct);
        return problem is not null ? problem : TypedResults.Ok(view!);
    }

    static async Task<(DeviceView? View, ProblemHttpResult? Problem)> Send(IDeviceCommand command, CommandServices s, IReadingRefusals refusals, CancellationToken ct)
    {
        var outcome = await s.Mediator.Send(new ExecuteDeviceCommand(command, s.Context()), ct);
        if (outcome.Error is { } error) return (null, P.From(error));
        s.Http.Response.Headers.ETag = $"\"{outcome.Version}\"";
        return (DeviceView.Of(outcome.State!, await refusals.Of(outcome.State!.Id, ct)), null);
    }
}
