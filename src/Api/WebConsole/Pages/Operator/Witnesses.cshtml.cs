using AssetLedger.Api.Contracts;
using AssetLedger.Api.Endpoints;
using AssetLedger.Application.Chains;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Chains;
using AssetLedger.Domain.Common;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace AssetLedger.Api.WebConsole.Pages.Operator;

/// <summary>
/// The witnesses every checkpoint is submitted to (GET /api/v1/chains/witnesses): URL, key, active flag and how far each
/// has cosigned; the forms that register one and switch one on or off, through the same chain commands as the API.
/// </summary>
[Authorize(Roles = "Operator")]
public sealed class WitnessesModel(ChainRegistryReader registry, IChainTargetStatus status, ChainCommands commands) : ConsolePage
{
    public IReadOnlyList<WitnessView> Witnesses { get; private set; } = [];

    public async Task OnGet(CancellationToken ct) => Witnesses = await WitnessEndpoints.Views(registry, status, ct);

    public Task<IActionResult> OnPostRegister(string? name, string? url, string? verifierKey, CancellationToken ct) =>
        Run(new RegisterWitness(name ?? "", url ?? "", verifierKey ?? "", commands.Actor, commands.Now), "done.registerwitness", ct);

    public Task<IActionResult> OnPostActivate(string? name, CancellationToken ct) =>
        Run(new ActivateWitness(name ?? "", commands.Actor, commands.Now), "done.activatewitness", ct);

    public Task<IActionResult> OnPostDeactivate(string? name, CancellationToken ct) =>
        Run(new DeactivateWitness(name ?? "", commands.Actor, commands.Now), "done.deactivatewitness", ct);

    async Task<IActionResult> Run(IChainCommand command, string done, CancellationToken ct)
    {
        if ((await commands.Send(command, ct)).Error is not { } e) return Done("/console/operator/witnesses", T[done]);
        await OnGet(ct);
        return Refused(e);
    }
}
