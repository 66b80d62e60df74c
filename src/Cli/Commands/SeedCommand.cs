using AssetLedger.Infrastructure.Security;
using System.CommandLine;
using System.Diagnostics;
using AssetLedger.Application;
using AssetLedger.Application.Assets;
using AssetLedger.Application.Commands;
using AssetLedger.Application.Participants;
using AssetLedger.Application.Ports;
using AssetLedger.Cli.Seeding;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Participants;
using AssetLedger.Domain.Registrations;
using AssetLedger.Application.Registrations;
using AssetLedger.Infrastructure;
using AssetLedger.Infrastructure.EventStore;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Spectre.Console;

namespace AssetLedger.Cli.Commands;

/// <summary>
/// <c>assetledger seed --assets N</c>: a registry full of realistic, deterministic data. Every command goes through the
/// Application layer (Mediator → AssetCommandHandler → the PostgreSQL store), exactly as the API sends it, so every
/// event is decided, hash-chained and ordered like a real one. Rerunning with the same seed resumes where it stopped.
/// </summary>
public static class SeedCommand
{
    public const int DefaultSeed = 20260101;

    public static Command Create()
    {
        var connection = Database.ConnectionOption();
        var assets = new Option<int>("--assets", "-n") { Description = "How many assets to create (about six events each).", Required = true };
        var seed = new Option<int>("--seed") { Description = "Seed of the generator: the same seed gives the same participants and assets.", DefaultValueFactory = _ => DefaultSeed };
        var concurrency = new Option<int>("--concurrency") { Description = "Assets in flight at once (each asset's commands run in order).", DefaultValueFactory = _ => 48 };
        var command = new Command("seed", "Fill the registry with generated participants and assets driven through realistic lifecycles.") { connection, assets, seed, concurrency };
        command.SetAction((parse, ct) => Database.Run(parse, connection,
            (cs, c) => Seed(cs, parse.GetValue(assets), parse.GetValue(seed), parse.GetValue(concurrency), c), ct));
        return command;
    }

    static async Task<int> Seed(string connectionString, int assets, int seed, int concurrency, CancellationToken ct)
    {
        if (assets < 1 || concurrency is < 1 or > 512)
        {
            AnsiConsole.MarkupLine("[red]error:[/] --assets must be at least 1 and --concurrency between 1 and 512.");
            return ExitCodes.Usage;
        }
        await Database.Migrate(connectionString, ct);
        var pooled = new NpgsqlConnectionStringBuilder(connectionString);
        pooled.MaxPoolSize = Math.Max(pooled.MaxPoolSize, concurrency + 10);
        await using var db = NpgsqlDataSource.Create(pooled.ConnectionString);
        await using var store = new PostgresEventStore(db);
        var services = new ServiceCollection()
            .AddApplication()
            .AddSingleton(db)
            .AddCredentials()
            .AddSingleton<IEventStore>(store)
            .AddSingleton<IParticipantDirectory>(new CachedParticipantDirectory(new ParticipantDirectory(store)))
            // The user handler is built with the others; the seed creates no user, so it never hashes a password.
            .AddSingleton<ICredentialStore>(new AssetLedger.Infrastructure.Security.PostgresCredentialStore(db))
            .AddSingleton<IPasswordHasher, NoPasswords>();
        await using var provider = services.BuildServiceProvider();
        var mediator = provider.GetRequiredService<IMediator>();

        var cast = new SeedCast(seed, assets);
        var joined = await RegisterParticipants(mediator, cast, ct);
        AnsiConsole.MarkupLineInterpolated($"Participants: [green]{cast.All.Count:N0}[/] ({joined:N0} new): {cast.Owners.Count} owners, {cast.Warehouses.Count} warehouses, {cast.Banks.Count} banks, {cast.Debtors.Count} debtors, {cast.TradingCenterList.Count} trading centers, {cast.Regulators.Count} regulators and courts, {cast.Logistics.Count} logistics companies.");

        long events = 0, refused = 0, resumed = 0;
        var firstRefusal = "";
        var clock = Stopwatch.StartNew();
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask($"Seeding {assets:N0} assets", maxValue: assets);
                var done = 0;
                await Parallel.ForEachAsync(Enumerable.Range(0, assets), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct }, async (i, c) =>
                {
                    var plan = Lifecycles.For(cast, seed, i, assets);
                    var outcome = await Run(mediator, store, plan, c);
                    if (outcome.Refusal is null) outcome = await RunRegistrations(mediator, SeedRegistrations.For(cast, seed, i, assets), outcome, c);
                    Interlocked.Add(ref events, outcome.Appended);
                    if (outcome.Resumed) Interlocked.Increment(ref resumed);
                    if (outcome.Refusal is { } refusal && Interlocked.Increment(ref refused) == 1) firstRefusal = refusal;
                    var n = Interlocked.Increment(ref done);
                    task.Increment(1);
                    if (n % 1000 == 0 || n == assets)
                        task.Description = $"Seeding: {n:N0} of {assets:N0} assets, {Interlocked.Read(ref events):N0} events, {Interlocked.Read(ref events) / Math.Max(clock.Elapsed.TotalSeconds, 0.001):N0} events/s";
                });
            });

        var seconds = Math.Max(clock.Elapsed.TotalSeconds, 0.001);
        AnsiConsole.MarkupLineInterpolated($"Seeded [green]{assets:N0}[/] assets ({resumed:N0} resumed): [green]{events:N0}[/] events in {seconds:F1} s ({events / seconds:N0} events/s, {assets / seconds:N0} assets/s).");
        if (refused > 0) AnsiConsole.MarkupLineInterpolated($"[yellow]{refused:N0} assets had a refused command[/]; the first: {firstRefusal}");
        // One line for scripts (scripts/bench-trace.sh reads it).
        Console.WriteLine($"SEED_RESULT assets={assets} events={events} seconds={seconds:F1} events_per_s={events / seconds:F0} assets_per_s={assets / seconds:F0} refused={refused}");
        AnsiConsole.MarkupLine("The read models and the ledger catch up when the API starts, or now with [bold]assetledger projections rebuild[/].");
        return refused == 0 ? ExitCodes.Ok : ExitCodes.Failed;
    }

    /// <summary>The operator (as the API creates it on first start), then every participant of the cast, by the operator.</summary>
    static async Task<int> RegisterParticipants(IMediator mediator, SeedCast cast, CancellationToken ct)
    {
        var operatorId = new ParticipantId("operator");
        var bootstrap = new Actor(ParticipantId.System, new HashSet<Role> { Role.System, Role.Operator });
        var at = Lifecycles.Epoch.AddDays(-30);
        await Register(mediator, new RegisterParticipant(operatorId, "平台运营方", [Role.Operator], bootstrap, at), ct);
        var op = new Actor(operatorId, new HashSet<Role> { Role.Operator });
        var created = 0;
        foreach (var p in cast.All)
            if (await Register(mediator, new RegisterParticipant(p.Id, p.Name, [p.Role], op, at.AddMinutes(created), p.CreditCode), ct)) created++;
        return created;
    }

    static async Task<bool> Register(IMediator mediator, RegisterParticipant command, CancellationToken ct)
    {
        var outcome = await mediator.Send(new ExecuteParticipantCommand(command, new CommandContext()), ct);
        if (outcome.Error is { Code: "participant.exists" }) return false;
        if (outcome.Error is { } e) throw new InvalidOperationException($"Could not register participant {command.Participant}: {e}");
        return true;
    }

    sealed record PlanOutcome(int Appended, bool Resumed, string? Refusal);

    /// <summary>Runs a registration's commands after its asset's; one made before (a rerun) is skipped whole.</summary>
    static async Task<PlanOutcome> RunRegistrations(IMediator mediator, IReadOnlyList<IRegistrationCommand> plan, PlanOutcome asset, CancellationToken ct)
    {
        var appended = asset.Appended;
        foreach (var command in plan)
        {
            var outcome = await mediator.Send(new ExecuteRegistrationCommand(command, new CommandContext(User: "seed")), ct);
            if (outcome.Error is { Code: "registration.already_exists" }) break;
            if (outcome.Error is { } e) return asset with { Appended = appended, Refusal = $"{command.GetType().Name} of {command.Registration}: {e}" };
            appended++;
        }
        return asset with { Appended = appended };
    }

    /// <summary>Runs an asset's commands in order; an asset seeded before continues at its stored version.</summary>
    static async Task<PlanOutcome> Run(IMediator mediator, IEventStore store, IReadOnlyList<Domain.Assets.IAssetCommand> plan, CancellationToken ct)
    {
        var context = new CommandContext(User: "seed");
        var (next, appended, resumed) = (0, 0, false);
        var first = await mediator.Send(new ExecuteAssetCommand(plan[0], context), ct);
        if (first.Ok) (next, appended) = (1, 1);
        else if (first.Error!.Code == "asset.already_exists")
        {
            next = (int)(await AssetStreams.Load(store, plan[0].Asset, ct)).Version;
            resumed = true;
        }
        else return new PlanOutcome(0, false, $"{plan[0].GetType().Name}: {first.Error}");
        for (; next < plan.Count; next++)
        {
            var outcome = await mediator.Send(new ExecuteAssetCommand(plan[next], context), ct);
            if (!outcome.Ok) return new PlanOutcome(appended, resumed, $"{plan[next].GetType().Name} of {plan[next].Asset}: {outcome.Error}");
            appended++;
        }
        return new PlanOutcome(appended, resumed, null);
    }
}

/// <summary>The seed registers participants and drives assets; it never creates a user, so it needs no password hashing.</summary>
sealed class NoPasswords : IPasswordHasher
{
    public string Hash(string password) => throw new NotSupportedException("The seed creates no users.");
    public bool Verify(string hash, string password) => throw new NotSupportedException("The seed creates no users.");
}
