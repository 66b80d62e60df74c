using AssetLedger.Api.Contracts;
using AssetLedger.Application.Assets;
using AssetLedger.Application.Commands;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using AssetLedger.Projections.Trace;
using Microsoft.AspNetCore.Mvc;
using static AssetLedger.Api.Contracts.RequestMapping;

namespace AssetLedger.Api.WebConsole.Pages.Assets;

/// <summary>
/// An asset's page: its state from its own stream (never stale), its timeline with proof marks from the read model,
/// and one form per action the decider would take from the viewer now (<see cref="AssetActions"/>). Whoever may not
/// read the asset (<see cref="AssetAccess.CanRead"/>) gets the API's 404.
/// </summary>
public sealed class ShowModel(IEventStore store, TraceQueries trace, ConsoleCommands commands) : ConsolePage
{
    public AssetState Asset { get; private set; } = AssetState.Initial;
    public AssetTrace? Trace { get; private set; }
    public IReadOnlyList<AssetAction> Actions { get; private set; } = [];
    public bool Has(AssetAction action) => Actions.Contains(action);
    /// <summary>The open IoT alarms the viewer's clearance would be taken for now (one form each).</summary>
    public IReadOnlyList<string> Clearable { get; private set; } = [];

    public async Task<IActionResult> OnGet(string id, CancellationToken ct) =>
        await Load(id, ct) ? Page() : NotFound();

    async Task<bool> Load(string id, CancellationToken ct)
    {
        if (!AssetId.TryParse(id, out var assetId)) return false;
        Asset = await AssetStreams.Load(store, assetId, ct);
        if (!AssetAccess.CanRead(Viewer, Asset)) return false;
        Actions = AssetActions.Allowed(Viewer, Asset, commands.Now);
        Clearable = Actions.Contains(AssetAction.ClearAlarm) ? AssetActions.ClearableAlarms(Viewer, Asset, commands.Now) : [];
        Trace = await trace.Timeline(assetId, ct);
        return true;
    }

    public Task<IActionResult> OnPostConfirm(string id, string? decision, string? comment, CancellationToken ct) =>
        Run(id, "done.confirm", (a, actor, now) => new ConfirmAsset(a, decision != "reject", Blank(comment), actor, now), ct);

    public Task<IActionResult> OnPostOffer(string id, string? toId, CancellationToken ct) =>
        Run(id, "done.offer", (a, actor, now) => Participant(toId, "toId") is { Error: null } to ? new OfferTransfer(a, to.Value, actor, now) : Participant(toId, "toId").Error!, ct);

    public Task<IActionResult> OnPostAccept(string id, CancellationToken ct) => Run(id, "done.accept", (a, actor, now) => new AcceptTransfer(a, actor, now), ct);
    public Task<IActionResult> OnPostDecline(string id, CancellationToken ct) => Run(id, "done.decline", (a, actor, now) => new DeclineTransfer(a, actor, now), ct);
    public Task<IActionResult> OnPostWithdraw(string id, CancellationToken ct) => Run(id, "done.withdraw", (a, actor, now) => new WithdrawTransfer(a, actor, now), ct);

    public Task<IActionResult> OnPostOut(string id, string? venueId, string? purpose, CancellationToken ct) =>
        Run(id, "done.out", (a, actor, now) =>
        {
            var venue = Participant(venueId, "venueId");
            if (venue.Error is { } e1) return e1;
            var p = ParseEnum<VenuePurpose>(purpose, "purpose");
            if (p.Error is { } e2) return e2;
            return new TransferOut(a, venue.Value, new HashSet<Role>(), p.Value, actor, now);
        }, ct);

    public Task<IActionResult> OnPostReturn(string id, string? newOwnerId, CancellationToken ct) =>
        Run(id, "done.return", (a, actor, now) =>
        {
            if (Blank(newOwnerId) is null) return new ReturnAsset(a, null, actor, now);
            var owner = Participant(newOwnerId, "newOwnerId");
            return owner.Error is { } e ? e : new ReturnAsset(a, owner.Value, actor, now);
        }, ct);

    public Task<IActionResult> OnPostFreeze(string id, string? authority, string? reason, CancellationToken ct) =>
        Run(id, "done.freeze", (a, actor, now) =>
        {
            var kind = ParseEnum<FreezeAuthority>(authority, "authority");
            if (kind.Error is { } e) return e;
            if (kind.Value == FreezeAuthority.IotAlarm) return Problems.RequestErrors.Invalid("authority", "IotAlarm freezes are placed by the registry's alarm rules; use Judicial or Regulatory.");
            return new FreezeAsset(a, $"frz-{Guid.CreateVersion7():N}", kind.Value, reason ?? "", actor, now);
        }, ct);

    public Task<IActionResult> OnPostUnfreeze(string id, string? freezeId, string? reason, CancellationToken ct) =>
        Run(id, "done.unfreeze", (a, actor, now) => string.IsNullOrWhiteSpace(freezeId)
            ? Problems.RequestErrors.Invalid("freezeId", "freezeId is required: the id of the freeze to lift.")
            : new UnfreezeAsset(a, freezeId, Blank(reason), actor, now), ct);

    public Task<IActionResult> OnPostClearAlarm(string id, string? alarmId, string? remark, CancellationToken ct) =>
        Run(id, "done.clearalarm", (a, actor, now) => string.IsNullOrWhiteSpace(alarmId)
            ? Problems.RequestErrors.Invalid("alarmId", "alarmId is required: the id of the alarm to clear.")
            : new ClearIotAlarm(a, alarmId, remark ?? "", actor, now), ct);

    public Task<IActionResult> OnPostCancel(string id, string? reason, CancellationToken ct) =>
        Run(id, "done.cancel", (a, actor, now) => new CancelAsset(a, reason ?? "", actor, now), ct);

    async Task<IActionResult> Run(string id, string done, Func<AssetId, Actor, DateTimeOffset, Result<IAssetCommand>> build, CancellationToken ct)
    {
        CommandOutcome<AssetState> outcome = await commands.Asset(id, build, ct);
        if (outcome.Error is { } e)
        {
            if (!await Load(id, ct)) return NotFound();
            return Refused(e);
        }
        // An action can end the viewer's part in the asset (a venue returning it): then the dashboard, not a 404.
        return Done(AssetAccess.CanRead(Viewer, outcome.State!) ? $"/console/assets/{id}" : ConsoleSetup.Prefix, T[done]);
    }

    static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
