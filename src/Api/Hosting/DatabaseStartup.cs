using System.Security.Cryptography;
using AssetLedger.Application.Commands;
using AssetLedger.Application.Participants;
using AssetLedger.Application.Ports;
using AssetLedger.Application.Users;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Participants;
using AssetLedger.Domain.Users;
using AssetLedger.Infrastructure;
using Mediator;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace AssetLedger.Api.Hosting;

public static class DatabaseStartup
{
    /// <summary>
    /// Migrates (several instances may start at once: the migrator takes a lock) and, on first start, creates the
    /// operator participant and its user <c>operator</c> with the configured password or a generated one written
    /// to the key directory (outside git), never to the log.
    /// </summary>
    public static async Task PrepareDatabase(this WebApplication app, CancellationToken ct = default)
    {
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AssetLedger.Startup");
        var wait = app.Configuration.GetValue("AssetLedger:StartupDatabaseWait", TimeSpan.FromMinutes(5));
        await UntilReachable(() => Prepare(app, log, ct), app.Services.GetRequiredService<IDatabaseFaults>(), log, wait, ct);
    }

    /// <summary>
    /// Runs the start-up's database work again while the database is unreachable (an instance started with, or just
    /// after, PostgreSQL: restarting, recovering, overloaded), with growing pauses, for at most <paramref name="wait"/>;
    /// then, or at once for any other error, the error ends the start. Every step is safe to repeat.
    /// </summary>
    public static Task UntilReachable(Func<Task> work, IDatabaseFaults faults, ILogger log, TimeSpan wait, CancellationToken ct) =>
        new ResiliencePipelineBuilder().AddTimeout(wait).AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(faults.IsUnavailable),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(500),
            MaxDelay = TimeSpan.FromSeconds(10),
            OnRetry = a =>
            {
                log.LogWarning("The database is not reachable yet ({Error}); trying again in {Delay:0.#} s", a.Outcome.Exception?.Message, a.RetryDelay.TotalSeconds);
                return ValueTask.CompletedTask;
            },
        }).Build().ExecuteAsync(async _ => await work(), ct).AsTask();

    static async Task Prepare(WebApplication app, ILogger log, CancellationToken ct)
    {
        await DatabaseMigrator.Migrate(HostingExtensions.ConnectionString(app.Configuration), [typeof(Projections.ProjectionRunner).Assembly], log, ct);
        var options = app.Services.GetRequiredService<IOptions<AssetLedgerOptions>>().Value;
        var mediator = app.Services.GetRequiredService<IMediator>();
        var now = app.Services.GetRequiredService<IClock>().UtcNow;
        var id = new ParticipantId(options.OperatorId);
        var bootstrap = new Actor(ParticipantId.System, new HashSet<Role> { Role.System, Role.Operator });

        if (await app.Services.GetRequiredService<IParticipantDirectory>().Find(id, ct) is null)
        {
            var outcome = await mediator.Send(new ExecuteParticipantCommand(new RegisterParticipant(id, options.OperatorName, [Role.Operator], bootstrap, now), new CommandContext()), ct);
            if (outcome.Error is { Code: not "participant.exists" } e) throw new InvalidOperationException($"Could not create the operator participant: {e}");
            log.LogInformation("Created the operator participant '{Operator}'", id);
        }
        var store = app.Services.GetRequiredService<IEventStore>();
        if (await UserCommandHandler.Load(store, "operator", ct) is { Exists: true }) return;
        var directory = options.KeyDirectory ?? Path.Combine(app.Environment.ContentRootPath, ".data", "keys");
        var password = options.OperatorPassword ?? GeneratedPassword(directory);
        var user = await mediator.Send(new ExecuteUserCommand(new CreateUser("operator", id, options.OperatorName, bootstrap, now), null, password, new CommandContext()), ct);
        if (user.Error is { Code: not "user.exists" } ue) throw new InvalidOperationException($"Could not create the operator user: {ue}");
        log.LogInformation("Created the user 'operator'; its password is {Where}", options.OperatorPassword is null ? $"in {Path.Combine(directory, "operator-password")}" : "the configured AssetLedger:OperatorPassword");
    }

    static string GeneratedPassword(string directory)
    {
        var path = Path.Combine(directory, "operator-password");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(directory);
            var fresh = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');
            var temp = path + $".{Guid.NewGuid():N}.tmp";
            File.WriteAllText(temp, fresh + "\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            try { File.Move(temp, path, overwrite: false); }
            catch (IOException) when (File.Exists(path)) { File.Delete(temp); }
        }
        return File.ReadAllText(path).Trim();
    }
}
