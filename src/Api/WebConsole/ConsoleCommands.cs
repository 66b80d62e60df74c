using AssetLedger.Api.Endpoints;
using AssetLedger.Api.Security;
using AssetLedger.Application.Assets;
using AssetLedger.Application.Commands;
using AssetLedger.Application.Devices;
using AssetLedger.Application.Participants;
using AssetLedger.Application.Ports;
using AssetLedger.Application.Users;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Devices;
using AssetLedger.Domain.Participants;
using AssetLedger.Domain.Users;
using Mediator;

namespace AssetLedger.Api.WebConsole;

/// <summary>
/// The console's writes: the same commands, handlers and rules as the API's, with the form's Idempotency-Key (see
/// <see cref="FormIdempotencyKey"/>) in the command's context so that a lost answer is found by it as over HTTP.
/// </summary>
public sealed class ConsoleCommands(IMediator mediator, IClock clock, IHttpContextAccessor accessor)
{
    HttpContext Http => accessor.HttpContext ?? throw new InvalidOperationException("No HTTP context.");
    public Actor Actor => Http.User.ToActor();
    public DateTimeOffset Now => clock.UtcNow;

    CommandContext Context()
    {
        var key = Http.Request.Headers[Idempotency.IdempotencyMiddleware.Header].ToString();
        return new CommandContext(Http.User.Login(), Guid.CreateVersion7(), null, key.Length > 0 ? key : null);
    }

    public async Task<CommandOutcome<AssetState>> Asset(Func<Actor, DateTimeOffset, Result<IAssetCommand>> build, CancellationToken ct)
    {
        var command = build(Actor, Now);
        if (command.Error is { } invalid) return new(invalid, 0, [], null);
        return await mediator.Send(new ExecuteAssetCommand(command.Value!, Context()), ct);
    }

    /// <summary>An asset command on the asset named in the address (an id that is no asset id is refused as the API refuses it).</summary>
    public Task<CommandOutcome<AssetState>> Asset(string id, Func<AssetId, Actor, DateTimeOffset, Result<IAssetCommand>> build, CancellationToken ct) =>
        Asset((actor, now) => CommandServices.AssetIdOf(id) is { Error: null } a ? build(a.Value, actor, now) : CommandServices.AssetIdOf(id).Error!, ct);

    public async Task<CommandOutcome<UserState>> User(IUserCommand command, string? password, CancellationToken ct) =>
        await mediator.Send(new ExecuteUserCommand(command, Http.User.Login(), password, Context()), ct);

    public async Task<CommandOutcome<DeviceState>> Device(IDeviceCommand command, CancellationToken ct) =>
        await mediator.Send(new ExecuteDeviceCommand(command, Context()), ct);

    public async Task<CommandOutcome<ParticipantState>> Participant(IParticipantCommand command, CancellationToken ct) =>
        await mediator.Send(new ExecuteParticipantCommand(command, Context()), ct);
}
