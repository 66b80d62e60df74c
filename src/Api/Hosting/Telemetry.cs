using AssetLedger.Application.Diagnostics;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AssetLedger.Api.Hosting;

/// <summary>
/// OpenTelemetry export (README, "Seeing where a command's time goes"): the stages of <see cref="Stages"/>, ASP.NET
/// Core's requests and Npgsql's commands, as traces and metrics over OTLP. Registered only when an OTLP endpoint is
/// configured (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, the SDK's own variable): without one nothing listens, so the
/// stages cost next to nothing, and dotnet-counters can still read the same meter from a running process.
/// </summary>
public static class Telemetry
{
    public const string EndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static IServiceCollection AddAssetLedgerTelemetry(this IServiceCollection services, IConfiguration config)
    {
        if (string.IsNullOrWhiteSpace(config[EndpointSetting])) return services;
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(config["OTEL_SERVICE_NAME"] ?? "assetledger-api"))
            .WithTracing(t => t.AddSource(Stages.Name).AddAspNetCoreInstrumentation().AddNpgsql().AddOtlpExporter())
            .WithMetrics(m => m.AddMeter(Stages.Name).AddAspNetCoreInstrumentation().AddNpgsqlInstrumentation().AddOtlpExporter());
        return services;
    }
}
