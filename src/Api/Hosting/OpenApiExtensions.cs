using System.Text.Json.Nodes;
using AssetLedger.Api.Contracts;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace AssetLedger.Api.Hosting;

/// <summary>OpenAPI 3 by Swashbuckle at /swagger/v1/swagger.json, Swagger UI at /swagger.</summary>
public static class OpenApiExtensions
{
    const string BearerScheme = AuthorizationOperationFilter.BearerScheme;

    public static IServiceCollection AddAssetLedgerOpenApi(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(c =>
        {
            c.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "AssetLedger API",
                Version = "v1",
                Description = "Registry of warehouse receipts (仓单), receivables (应收账款) and intangible assets (无形资产): every asset an " +
                              "event-sourced, hash-chained history confirmed by several institutions. Errors are RFC 9457 problems with a stable `code`. " +
                              "Every POST takes an optional Idempotency-Key; writes answer with the new version as ETag, and take If-Match. " +
                              "A body is at most 16 KiB without a token and 1 MiB with one (413 beyond).",
            });
            c.AddSecurityDefinition(BearerScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "An access token from POST /api/v1/auth/token (15 minutes).",
            });
            c.AddSecurityDefinition(AuthorizationOperationFilter.NoticeScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = "webhook-signature",
                Description = "Standard Webhooks: webhook-id, webhook-timestamp and webhook-signature (v1 HMAC-SHA256 or v1a Ed25519 over " +
                              "{webhook-id}.{webhook-timestamp}.{body}) with the credentials the participant the body names registered (docs/integrations.md).",
            });
            c.SchemaFilter<ExampleSchemaFilter>();
            c.SchemaFilter<OneOfSchemaFilter>();
            c.ParameterFilter<OneOfParameterFilter>();
            c.OperationFilter<CommandHeadersOperationFilter>();
            c.OperationFilter<AuthorizationOperationFilter>();
            c.SupportNonNullableReferenceTypes();
            c.CustomSchemaIds(t => t.Name);
        });
        return services;
    }

    const string SwaggerPath = "/swagger";

    public static WebApplication UseAssetLedgerOpenApi(this WebApplication app)
    {
        // Only requests under /swagger pass through Swashbuckle's two middlewares: every other request skipped them after
        // matching its path against their templates, about 0.7 % of the API's CPU in the mixed load (perf, issue 21).
        app.UseWhen(http => http.Request.Path.StartsWithSegments(SwaggerPath), swagger =>
        {
            swagger.UseSwagger();
            swagger.UseSwaggerUI(o => { o.SwaggerEndpoint("/swagger/v1/swagger.json", "AssetLedger v1"); o.RoutePrefix = "swagger"; });
        });
        return app;
    }

    /// <summary>
    /// The problems a logged-in write may answer with: 403 too, since the Domain refuses an actor a command (not the
    /// owner, not the operator). 401 and 413 are declared from the endpoint's metadata by <see cref="AuthorizationOperationFilter"/>,
    /// 412 with the If-Match header that can cause it.
    /// </summary>
    public static TBuilder WithCommandProblems<TBuilder>(this TBuilder b) where TBuilder : IEndpointConventionBuilder =>
        b.ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);

    public static TBuilder WithReadProblems<TBuilder>(this TBuilder b) where TBuilder : IEndpointConventionBuilder =>
        b.ProducesProblem(400).ProducesProblem(404);

    /// <summary>Idempotency-Key and If-Match on every POST.</summary>
    sealed class CommandHeadersOperationFilter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            if (!string.Equals(context.ApiDescription.HttpMethod, "POST", StringComparison.OrdinalIgnoreCase)) return;
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "Idempotency-Key", In = ParameterLocation.Header, Required = false,
                Description = "Retries with the same key and body within 24 h get the first answer and write nothing; the same key with another body is a 422.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 200, Pattern = Idempotency.IdempotencyMiddleware.KeyPattern },
            });
            // Only the asset command table reads If-Match.
            if (context.ApiDescription.RelativePath?.StartsWith("api/v1/assets/{id}", StringComparison.Ordinal) != true) return;
            AuthorizationOperationFilter.Declare(operation, context, StatusCodes.Status412PreconditionFailed);
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "If-Match", In = ParameterLocation.Header, Required = false,
                Description = "The asset's ETag (its version, e.g. \"3\"); a stale one is answered with 412.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^(W/)?\"?[1-9][0-9]{0,18}\"?$" },
            });
        }
    }

    /// <summary>Example bodies, so Swagger UI's "Try it out" starts from something valid.</summary>
    sealed class ExampleSchemaFilter : ISchemaFilter
    {
        static readonly Dictionary<Type, string> Examples = new()
        {
            [typeof(RegisterAssetRequest)] = """{"kind":"WarehouseReceipt","ownerId":"owner-a","warehouseId":"wh-1","receiptNumber":"WR-2026-0001","commodity":"crude oil","quantity":"1200.5","unit":"bbl"}""",
            [typeof(ConfirmationRequest)] = """{"approve":true,"comment":"goods inspected"}""",
            [typeof(AmendmentRequest)] = """{"description":"tank 7, north terminal"}""",
            [typeof(TransferOfferRequest)] = """{"toId":"buyer-c"}""",
            [typeof(TransferOutRequest)] = """{"venueId":"bank-1","purpose":"Financing"}""",
            [typeof(ReturnRequest)] = """{}""",
            [typeof(FreezeRequest)] = """{"reason":"court order (2026) Hu 01 Zhi 123","authority":"Judicial"}""",
            [typeof(UnfreezeRequest)] = """{"freezeId":"frz-1","reason":"order lifted"}""",
            [typeof(CancelRequest)] = """{"reason":"goods released"}""",
            [typeof(EvidenceRequest)] = """{"sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","mediaType":"application/pdf","description":"inspection report"}""",
            [typeof(Endpoints.TokenRequest)] = """{"login":"operator","password":"<see .data/keys/operator-password>"}""",
            [typeof(ParticipantApplicationRequest)] = """{"id":"wh-9","name":"Tianjin Port Storage Co.","creditCode":"91120116MA05K9KX35","contact":"Li Na, +86 22 5555 0101","roles":["Warehouse"],"adminLogin":"lina@wh-9","adminPassword":"a long passphrase"}""",
            [typeof(CreateUserRequest)] = """{"login":"zhang@wh-1","participantId":"wh-1","displayName":"Zhang Wei","password":"a long passphrase"}""",
            [typeof(RegisterAllianceRequest)] = """{"allianceId":"yangtze","name":"Yangtze warehouse-receipt consortium","members":[{"name":"Shanghai North Terminal Storage Co.","mspId":"Org1MSP","participantId":"wh-1"},{"name":"Bank of Example","mspId":"Org2MSP","participantId":"bank-1"}]}""",
            [typeof(AllianceMemberRequest)] = """{"name":"Ningbo Trading Center","mspId":"Org3MSP","participantId":"tc-1"}""",
            [typeof(RegisterNetworkRequest)] = """{"networkId":"besu","name":"Consortium Besu","kind":"evm","endpoints":["https://rpc.besu.example:8545"],"chainId":1337}""",
            [typeof(NetworkEndpointsRequest)] = """{"endpoints":["https://rpc2.besu.example:8545"]}""",
            [typeof(ChannelRequest)] = """{"name":"anchors"}""",
            [typeof(RegisterContractRequest)] = """{"contractId":"checkpoint-anchor-v1","networkId":"besu","abiVersion":"1"}""",
            [typeof(DefineTargetRequest)] = """{"name":"besu-main","contractId":"checkpoint-anchor-v1","credentials":{"privateKeyFile":"/run/secrets/besu-anchor.key"}}""",
            [typeof(TargetCredentialsChangeRequest)] = """{"credentials":{"privateKeyEnv":"BESU_ANCHOR_KEY"}}""",
            [typeof(TargetContractRequest)] = """{"contractId":"checkpoint-anchor-v2"}""",
            [typeof(TargetActivationRequest)] = """{"active":true}""",
            [typeof(RegisterParticipantRequest)] = """{"id":"wh-1","name":"Shanghai North Terminal Storage Co.","roles":["Warehouse"]}""",
        };

        public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
        {
            if (schema is OpenApiSchema s && Examples.TryGetValue(context.Type, out var json)) s.Examples = [JsonNode.Parse(json)!];
        }
    }
}
