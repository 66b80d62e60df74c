using AssetLedger.Api.Contracts;
using AssetLedger.Api.Hosting;
using AssetLedger.Application.Assets;
using AssetLedger.Application.Devices.Alarms;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Devices;
using AssetLedger.Domain.Devices.Alarms;
using Microsoft.AspNetCore.Http.HttpResults;
using static AssetLedger.Api.Contracts.RequestMapping;
using P = AssetLedger.Api.Problems.Problems;

namespace AssetLedger.Api.Endpoints;

/// <summary>
/// 告警: the operator's versioned alarm rules, and the IoT alarms open on an asset with their clearing. Alarms are
/// raised only by the registry from signed readings; a critical one freezes the receipt until people clear it.
/// </summary>
public static class AlarmEndpoints
{
    public static void MapAlarms(this IEndpointRouteBuilder app)
    {
        var rules = app.MapGroup("/api/v1/alarm-rules").WithTags("Alarm rules").RequireAuthorization();
        rules.MapGet("/", List).WithReadProblems().WithSummary("The alarm rules, each at its latest version (any participant may read what watches its goods)");
        rules.MapPut("/{id}", Set).WithCommandProblems().WithSummary("Create a rule or give it a new version (the operator)");
        rules.MapPost("/{id}/retirement", Retire).WithCommandProblems().WithSummary("Retire a rule: it raises no more alarms (the operator)");

        var alarms = app.MapGroup("/api/v1/assets/{id}/alarms").WithTags("Alarm rules").RequireAuthorization();
        alarms.MapGet("/", Open).WithReadProblems().WithSummary("The IoT alarms open on an asset, who has agreed to clear each, and who must");
        alarms.MapPost("/{alarmId}/clearances", Clear).WithCommandProblems()
            .WithSummary("Agree to clear an alarm, with a remark: a regulator alone, or the warehouse together with the venue holding the receipt (else its owner)");
    }

    static async Task<Ok<AlarmRuleBookView>> List(AlarmRuleBooks books, CancellationToken ct) => TypedResults.Ok(View(await books.Load(ct)));

    static async Task<Results<Ok<AlarmRuleBookView>, ProblemHttpResult>> Set(string id, AlarmRuleRequest body, CommandServices s, CancellationToken ct)
    {
        var condition = ParseEnum<AlarmCondition>(body.Condition, "condition");
        if (condition.Error is { } badCondition) return P.From(badCondition);
        var severity = ParseEnum<AlarmSeverity>(body.Severity, "severity");
        if (severity.Error is { } badSeverity) return P.From(badSeverity);
        AssetKind? assetKind = null;
        DeviceKind? deviceKind = null;
        if (body.AssetKind is not null)
        {
            var parsed = ParseEnum<AssetKind>(body.AssetKind, "assetKind");
            if (parsed.Error is { } bad) return P.From(bad);
            assetKind = parsed.Value;
        }
        if (body.DeviceKind is not null)
        {
            var parsed = ParseEnum<DeviceKind>(body.DeviceKind, "deviceKind");
            if (parsed.Error is { } bad) return P.From(bad);
            deviceKind = parsed.Value;
        }
        var rule = new AlarmRule(id, 0, condition.Value, severity.Value, assetKind, deviceKind, body.DeviationPercent, body.Readings, body.Minutes,
            body.MinTemperature, body.MaxTemperature);
        return await Send(new SetAlarmRule(id, rule, s.Actor, s.Now), s, ct);
    }

    static Task<Results<Ok<AlarmRuleBookView>, ProblemHttpResult>> Retire(string id, RetireAlarmRuleRequest body, CommandServices s, CancellationToken ct) =>
        Send(new RetireAlarmRule(id, body.Reason ?? "", s.Actor, s.Now), s, ct);

    static async Task<Results<Ok<AlarmRuleBookView>, ProblemHttpResult>> Send(IAlarmRuleCommand command, CommandServices s, CancellationToken ct)
    {
        var outcome = await s.Mediator.Send(new ExecuteAlarmRuleCommand(command, s.Context()), ct);
        if (outcome.Error is { } error) return P.From(error);
        s.Http.Response.Headers.ETag = $"\"{outcome.Version}\"";
        return TypedResults.Ok(View(outcome.State!));
    }

    static async Task<Results<Ok<AssetAlarmsView>, ProblemHttpResult>> Open(string id, IEventStore store, CommandServices s, CancellationToken ct)
    {
        if (CommandServices.AssetIdOf(id) is not { Error: null } parsed) return P.From(CommandServices.AssetIdOf(id).Error!);
        var asset = await AssetStreams.Load(store, parsed.Value, ct);
        // Like every asset read: to anyone who may not see the asset, it does not exist.
        if (!asset.Exists || !AssetAccess.CanRead(s.Actor, asset)) return P.From(AssetAccess.NotFound(parsed.Value));
        var parties = AssetDecider.ClearingParties(asset).Select(p => p.Value).ToList();
        return TypedResults.Ok(new AssetAlarmsView(asset.Id.ToString(),
            [.. asset.Alarms.Values.Select(a => new OpenAlarmView(a.AlarmId, a.RuleId, a.RuleVersion, a.Condition.ToString(), a.Severity.ToString(), a.Device, a.Since,
                asset.Freezes.ContainsKey(a.AlarmId), [.. a.Clearances], parties))],
            asset.Version));
    }

    static Task<Results<Ok<CommandResult>, ProblemHttpResult>> Clear(string id, string alarmId, ClearAlarmRequest body, CommandServices s, CancellationToken ct) =>
        s.Run((actor, now) => CommandServices.AssetIdOf(id) is { Error: null } a
            ? new ClearIotAlarm(a.Value, alarmId, body.Remark ?? "", actor, now)
            : CommandServices.AssetIdOf(id).Error!, ct);

    static AlarmRuleBookView View(AlarmRuleBook book) =>
        new([.. book.Rules.Values.Select(r => AlarmRuleView.Of(r, book.Retired.Contains(r.Id)))], book.Version);
}
