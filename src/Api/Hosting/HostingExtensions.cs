using System.Text.Json.Serialization;
using AssetLedger.Api.Audit;
using AssetLedger.Api.Endpoints;
using AssetLedger.Api.Idempotency;
using AssetLedger.Api.Problems;
using AssetLedger.Api.Security;
using AssetLedger.Api.WebConsole;
using AssetLedger.Application;
using AssetLedger.Application.Participants;
using AssetLedger.Application.Ports;
using AssetLedger.Infrastructure.Audit;
using AssetLedger.Infrastructure.EventStore;
using AssetLedger.Infrastructure.Ledger;
using AssetLedger.Infrastructure.Ledger.Anchors;
using AssetLedger.Projections;
using AssetLedger.Application.Users;
using AssetLedger.Infrastructure.Security;
using AssetLedger.Infrastructure.Devices;
using AssetLedger.Infrastructure.Webhooks;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Npgsql;

namespace AssetLedger.Api.Hosting;

/// <summary>Options under "AssetLedger" in configuration.</summary>
public sealed class AssetLedgerOptions
{
    /// <summary>The operator participant created on first start.</summary>
    public string OperatorId { get; set; } = "operator";
    public string OperatorName { get; set; } = "Platform operator";
    /// <summary>The operator user's first password; when unset one is generated into KeyDirectory/operator-password.</summary>
    public string? OperatorPassword { get; set; }
    /// <summary>Where the JWT signing key and the generated operator password live (outside git).</summary>
    public string? KeyDirectory { get; set; }
}

public static class HostingExtensions
{
    /// <summary>The connection string: ConnectionStrings:AssetLedger, or the ASSETLEDGER_DB environment variable.</summary>
    public static string ConnectionString(IConfiguration config) =>
        config.GetConnectionString("AssetLedger") ?? config["ASSETLEDGER_DB"]
        ?? throw new InvalidOperationException("No database configured: set ConnectionStrings__AssetLedger or ASSETLEDGER_DB, or start the service with scripts/run.sh, which starts a local PostgreSQL.");

    public static WebApplicationBuilder AddAssetLedger(this WebApplicationBuilder builder)
    {
        var s = builder.Services;
        // Kestrel's own refusals (a bad request line, a NUL or CR in a header…) answer a problem too, not an empty 400.
        builder.WebHost.ConfigureKestrel(o => o.ConfigureEndpointDefaults(listen => listen.AnswerWithProblems()));
        s.Configure<AssetLedgerOptions>(builder.Configuration.GetSection("AssetLedger"));
        // Bounded sessions (Infrastructure/DatabaseConnections): a stopped instance or an unreachable database costs seconds, never a hang.
        s.AddSingleton(_ => Infrastructure.DatabaseConnections.Create(ConnectionString(builder.Configuration)));
        s.AddSingleton<IDatabaseFaults, Infrastructure.PostgresFaults>();
        s.AddSingleton<PostgresEventStore>();
        s.AddSingleton<IEventStore>(sp => sp.GetRequiredService<PostgresEventStore>());
        s.AddSingleton(sp => new CallerStreamView(sp.GetRequiredService<IEventStore>(),
            builder.Configuration.GetValue("AssetLedger:CallerView:Capacity", CallerStreamView.DefaultCapacity),
            builder.Configuration.GetValue("AssetLedger:CallerView:AssetCapacity", CallerStreamView.DefaultAssetCapacity)));
        s.AddSingleton<IParticipantDirectory, ParticipantDirectory>();
        s.AddApplication();
        // Registered after AddApplication's default, so the configured windows are the ones the command handler gets.
        s.AddSingleton(ConfirmationExpiryWorker.Policy(builder.Configuration));
        s.AddSingleton<Application.Assets.ConfirmationExpiry>();
        var ledger = builder.Configuration.GetSection("AssetLedger:Ledger");
        s.AddLedger(o =>
        {
            o.KeyDirectory = ledger["KeyDirectory"] ?? KeyDirectory(builder);
            o.PublishedMarkFile = Path.Combine(o.KeyDirectory, Infrastructure.Ledger.PublishedMark.FileName);
            if (ledger["Origin"] is { } origin) o.Origin = origin;
            if (ledger.GetValue<TimeSpan?>("AnchorDegradedAfter") is { } degradedAfter) o.AnchorDegradedAfter = degradedAfter;
            if (ledger.GetValue<TimeSpan?>("AnchorMaxBackoff") is { } maxBackoff) o.AnchorMaxBackoff = maxBackoff;
        });
        // An EVM chain as a further anchor target when AssetLedger:Chains:Evm:RpcUrl is set (docs/chains.md).
        if (builder.Configuration.GetSection("AssetLedger:Chains:Evm").Get<EvmAnchorOptions>() is { RpcUrl.Length: > 0 } evm) s.AddEvmAnchor(evm);
        s.AddFabricAnchor(builder.Configuration.GetSection("AssetLedger:Chains:Fabric"));
        var workers = builder.Configuration.GetValue("AssetLedger:Workers", true);
        s.AddSingleton(new Projections.Trace.TraceCache(builder.Configuration.GetValue("AssetLedger:TraceCache:Capacity", Projections.Trace.TraceCache.DefaultCapacity)));
        s.AddSingleton(builder.Configuration.GetSection("AssetLedger:Projections").Get<Projections.ProjectionOptions>() ?? new Projections.ProjectionOptions());
        s.AddProjections(runInBackground: false);
        // The projector and the ledger's worker run in one process at a time (Infrastructure/WorkerLead): a second API process
        // on the database stands by for them instead of doing the same rounds again.
        s.AddSingleton(new Infrastructure.WorkerLeadOptions());
        // Registered as IHostedService, not AddHostedService, which keeps only the first of two of one type.
        if (workers) s.AddSingleton<IHostedService>(sp => Lead(sp, "projections", sp.GetRequiredService<ProjectionRunner>().RunAsync));
        if (workers) s.AddSingleton<IHostedService>(sp => Lead(sp, "ledger", sp.GetRequiredService<LedgerWorker>().RunAsync));
        if (workers) s.AddHostedService<ConfirmationExpiryWorker>();
        if (workers) s.AddHostedService<IotSilenceWorker>();
        s.AddWebhooks(builder.Configuration.GetSection("AssetLedger:Webhooks"), workers);
        s.AddSingleton<IAccessAudit, PostgresAccessAudit>();
        s.AddSingleton<IIdempotencyStore, Infrastructure.Idempotency.PostgresIdempotencyStore>();
        s.AddSingleton<UnsettledKeys>();
        s.AddHostedService(sp => sp.GetRequiredService<UnsettledKeys>());
        s.AddSingleton<AccessAuditFilter>();
        s.AddHttpContextAccessor();
        s.AddScoped<CommandServices>();
        s.AddScoped<ChainCommands>();
        s.AddScoped<RegistrationCommands>();
        s.AddSingleton<ILedgerQueries>(sp => sp.GetRequiredService<LedgerService>());
        s.AddSingleton<IEvidenceExport>(sp => sp.GetRequiredService<Infrastructure.Evidence.EvidenceExporter>());
        s.AddSingleton<IHealthProbe, HealthProbe>();
        s.AddSingleton<EvidenceWarmUp>();
        s.AddSingleton(EvidenceBuffers.Create());
        s.AddHostedService(sp => sp.GetRequiredService<EvidenceWarmUp>());
        s.AddSingleton<IRollbackGuard>(sp => new Infrastructure.Ledger.RollbackGuard(sp.GetRequiredService<NpgsqlDataSource>(),
            sp.GetRequiredService<Infrastructure.Ledger.LedgerOptions>().PublishedMarkFile!));
        s.AddSingleton<IChainTargetStatus>(sp => new Infrastructure.Chains.ChainTargetStatus(sp.GetRequiredService<NpgsqlDataSource>()));
        // The managed chain records' active targets, read from the registry's stream (activation is seen at once, on every instance).
        s.AddSingleton<IAnchorTargetSource, Application.Chains.ChainTargetSource>();

        s.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });
        // The console brings MVC in, and Swashbuckle then describes schemas with MVC's options: the same as the endpoints' own.
        s.Configure<Microsoft.AspNetCore.Mvc.JsonOptions>(o =>
        {
            o.JsonSerializerOptions.Converters.Add(new JsonStringEnumConverter());
            o.JsonSerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });
        s.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.Problems.Describe);
        s.AddExceptionHandler<ProblemExceptionHandler>();

        var keyDirectory = KeyDirectory(builder);
        var jwtKeys = new JwtKeys(keyDirectory);
        s.AddSingleton(jwtKeys);
        s.AddSingleton<TokenService>();
        s.AddCredentials();
        s.AddDevices();
        s.AddMqttReadings(builder.Configuration.GetSection("AssetLedger:Mqtt"));
        s.AddSingleton<LoginService>();
        var authentication = s.AddAuthentication(WebConsole.ConsoleSetup.Scheme).AddJwtBearer(o => JwtAuthentication.Configure(o, jwtKeys,
            builder.Configuration.GetValue("AssetLedger:ValidatedTokens:Capacity", ValidatedTokens.DefaultCapacity)));
        authentication.AddConsoleCookie();
        s.AddConsole(keyDirectory);
        s.AddAuthorization();
        s.AddAssetLedgerOpenApi();
        s.AddAssetLedgerTelemetry(builder.Configuration);
        return builder;
    }

    /// <summary>A background worker that runs in one API process of those on the database at a time.</summary>
    static Infrastructure.WorkerLead Lead(IServiceProvider sp, string name, Func<CancellationToken, Task> work) =>
        new(sp.GetRequiredService<NpgsqlDataSource>(), name, work, sp.GetRequiredService<Infrastructure.WorkerLeadOptions>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<Infrastructure.WorkerLead>());

    /// <summary>Keys and generated secrets: AssetLedger:KeyDirectory, default .data/keys under the content root (ignored by git).</summary>
    public static string KeyDirectory(WebApplicationBuilder builder) =>
        builder.Configuration["AssetLedger:KeyDirectory"] ?? Path.Combine(builder.Environment.ContentRootPath, ".data", "keys");

    public static WebApplication UseAssetLedger(this WebApplication app)
    {
        app.UseMiddleware<SlowRequests>();
        app.UseMiddleware<SecurityHeaders>();
        app.UseConsoleFiles();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestAdmission>();
        app.UseMiddleware<BodyLimits>();
        app.UseMiddleware<TextGuard>();
        app.Use(async (http, next) =>
        {
            using var scope = Application.Participants.ParticipantDirectory.BeginScope();
            await next(http);
        });
        app.UseAuthentication();
        app.UseMiddleware<Audit.AccessAuditMiddleware>();
        app.UseMiddleware<SignedNotices>();
        app.UseMiddleware<ApplicantGate>();
        app.UseMiddleware<RollbackGate>();
        app.UseMiddleware<SignedCommands>();
        app.UseMiddleware<FormIdempotencyKey>();
        app.UseMiddleware<IdempotencyMiddleware>();
        app.UseAuthorization();
        app.UseAssetLedgerOpenApi();
        return app;
    }
}
