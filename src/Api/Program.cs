using AssetLedger.Api.Endpoints;
using AssetLedger.Api.Hosting;
using AssetLedger.Api.WebConsole;

var builder = WebApplication.CreateBuilder(args);
builder.AddAssetLedger();

var app = builder.Build();
app.UseAssetLedger();
app.MapHealth();
app.MapAuth();
app.MapUsers();
app.MapParticipants();
app.MapAssets();
app.MapAssetCommands();
app.MapLedger();
app.MapEvidence();
app.MapTrace();
app.MapRegistry();
app.MapAudit();
app.MapChains();
app.MapRegistrations();
app.MapDevices();
app.MapAlarms();
app.MapWitnesses();
app.MapWebhooks();
app.MapIntegrations();
app.MapConsole();
await app.PrepareDatabase();
app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in the API tests.</summary>
public partial class Program;
