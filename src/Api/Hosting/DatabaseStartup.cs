using AssetLedger.Application.Assets;
using AssetLedger.Application.Participants;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Participants;
using AssetLedger.Infrastructure;
using Mediator;
using Microsoft.Extensions.Options;

namespace AssetLedger.Api.Hosting;

public static class DatabaseStartup
{
    /// <summary>Migrates (several instances may start at once: the migrator takes a lock) and creates the operator on first start.</summary>
    public static async Task PrepareDatabase(this WebApplication app, CancellationToken ct = default)
    {
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AssetLedger.Startup");
        await DatabaseMigrator.Migrate(HostingExtensions.ConnectionString(app.Configuration), log, ct);
        var options = app.Services.GetRequiredService<IOptions<AssetLedgerOptions>>().Value;
        var id = new ParticipantId(options.OperatorId);
        var directory = app.Services.GetRequiredService<IParticipantDirectory>();
        if (await directory.Find(id, ct) is not null) return;
        var bootstrap = new Actor(ParticipantId.System, new HashSet<Role> { Role.System, Role.Operator });
        var command = new RegisterParticipant(id, options.OperatorName, [Role.Operator], bootstrap, app.Services.GetRequiredService<IClock>().UtcNow);
        var outcome = await app.Services.GetRequiredService<IMediator>().Send(new ExecuteRegisterParticipant(command, new CommandContext()), ct);
        if (outcome.Error is { Code: not "participant.exists" } e) throw new InvalidOperationException($"Could not create the operator participant: {e}");
        log.LogInformation("Created the operator participant '{Operator}'", id);
    }
}
