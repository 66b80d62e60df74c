using System.Security.Cryptography;
using AssetLedger.Api.Contracts;
using AssetLedger.Api.Hosting;
using AssetLedger.Api.Security;
using AssetLedger.Application.Commands;
using AssetLedger.Application.Participants;
using AssetLedger.Application.Ports;
using AssetLedger.Application.Users;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Participants;
using AssetLedger.Domain.Users;
using AssetLedger.Projections;
using AssetLedger.Projections.Participants;
using System.ComponentModel.DataAnnotations;
using Mediator;
using AssetLedger.Api.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using P = AssetLedger.Api.Problems.Problems;

namespace AssetLedger.Api.Endpoints;

/// <summary>参与方管理: onboarding, applications and identity verification, roles, suspension, signing keys.</summary>
public static class ParticipantEndpoints
{
    public static RouteGroupBuilder MapParticipants(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/participants").WithTags("Participants").RequireAuthorization();
        g.MapPost("/", Register).WithCommandProblems().WithSummary("Onboard a verified participant with its roles (operator)");
        g.MapPost("/applications", Apply).AllowAnonymous().ProducesProblem(400).ProducesProblem(409).ProducesProblem(422).ProducesProblem(429)
            .WithSummary("Apply to take part: organisation details and its first user; the operator then verifies it");
        g.MapPost("/{id}/verification", Verify).WithCommandProblems().WithSummary("Verify (identity checked, roles granted) or reject an application (operator)");
        g.MapPost("/{id}/roles", Grant).WithCommandProblems().WithSummary("Grant a role (operator)");
        g.MapDelete("/{id}/roles/{role}", Revoke).WithCommandProblems().WithSummary("Revoke a role (operator)");
        g.MapPost("/{id}/suspension", Suspend).WithCommandProblems().WithSummary("Suspend a participant: it can no longer act on assets (operator)");
        g.MapDelete("/{id}/suspension", Reinstate).WithCommandProblems().WithSummary("Reinstate a suspended participant (operator)");
        g.MapPost("/{id}/signing-key", SigningKey).WithCommandProblems().WithSummary("Register the participant's ECDSA P-256 key; its commands must then carry a Signature header");
        g.MapGet("/", List).RequireAuthorization(p => p.RequireRole("Operator", "Regulator")).WithReadProblems().ProducesProblem(403)
            .WithSummary("Participants, optionally of one status (Applied: the applications waiting for verification, oldest first), cursor paging (operator, regulator)");
        g.MapGet("/{id}", Get).WithSummary("A participant, its status and the roles it holds").WithReadProblems().OpenToApplicants();
        return g;
    }

    static async Task<Results<Created<ParticipantView>, ProblemHttpResult>> Register(RegisterParticipantRequest body, IMediator m, IClock clock, HttpContext http, CancellationToken ct)
    {
        var id = RequestMapping.Participant(body.Id, "id");
        if (id.Error is { } e1) return P.From(e1);
        var roles = Roles(body.Roles);
        if (roles.Error is { } e2) return P.From(e2);
        var outcome = await Send(m, new RegisterParticipant(id.Value, body.Name ?? "", roles.Value!, http.User.ToActor(), clock.UtcNow, body.CreditCode, body.Contact), http, ct);
        if (outcome.Error is { } e) return P.From(e);
        return TypedResults.Created($"/api/v1/participants/{id.Value}", ParticipantView.From(outcome.State!));
    }

    static async Task<Results<Created<ParticipantView>, ProblemHttpResult>> Apply(ParticipantApplicationRequest body, IMediator m, IClock clock, IApplicationThrottle throttle,
        HttpContext http, CancellationToken ct)
    {
        // Counted before anything else (a password hash, a write), under the connection's own address as logins are.
        if (await throttle.Take(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", ct) is { } until)
        {
            http.Response.Headers.RetryAfter = ((long)Math.Ceiling(Math.Max(1, (until - clock.UtcNow).TotalSeconds))).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return P.From(AccessErrors.TooManyApplications);
        }
        var id = RequestMapping.Participant(body.Id, "id");
        if (id.Error is { } e1) return P.From(e1);
        var roles = Roles(body.Roles);
        if (roles.Error is { } e2) return P.From(e2);
        if (!UserDecider.IsWellFormedLogin(body.AdminLogin)) return P.From(RequestErrors.Invalid("adminLogin", "adminLogin must be 3–64 characters of lower-case letters, digits, '-', '_', '.' or '@'."));
        if (await UserCommandHandler.Load(http.RequestServices.GetRequiredService<IEventStore>(), body.AdminLogin!, ct) is { Exists: true })
            return P.From(ResourceErrors.AdminLoginTaken(body.AdminLogin!));
        var applicant = new Actor(id.Value, new HashSet<Role>());
        var apply = new ApplyAsParticipant(id.Value, body.Name ?? "", body.CreditCode ?? "", body.Contact ?? "", roles.Value!, applicant, clock.UtcNow);
        // The whole application is checked, and the admin's login claimed, before anything is recorded.
        var outcome = await m.Send(new SubmitApplication(apply, body.AdminLogin!, body.AdminName ?? body.Name ?? "", body.AdminPassword ?? "", Context(http)), ct);
        if (outcome.Error is { } e) return P.From(e);
        return TypedResults.Created($"/api/v1/participants/{id.Value}", ParticipantView.From(outcome.State!));
    }

    static async Task<Results<Ok<ParticipantView>, ProblemHttpResult>> Verify(string id, VerificationRequest body, IMediator m, IClock clock, HttpContext http, CancellationToken ct)
    {
        if (body.Approve is not { } approve) return P.From(RequestErrors.Invalid("approve", "approve is required: true to verify, false to reject."));
        var pid = new ParticipantId(id);
        if (!approve) return await Run(m, new RejectParticipant(pid, body.Reason ?? "", http.User.ToActor(), clock.UtcNow), http, ct);
        IReadOnlyList<Role>? roles = null;
        if (body.Roles is { Count: > 0 })
        {
            var parsed = Roles(body.Roles);
            if (parsed.Error is { } e) return P.From(e);
            roles = parsed.Value;
        }
        return await Run(m, new VerifyParticipant(pid, roles, http.User.ToActor(), clock.UtcNow), http, ct);
    }

    static async Task<Results<Ok<ParticipantView>, ProblemHttpResult>> Grant(string id, RoleRequest body, IMediator m, IClock clock, HttpContext http, CancellationToken ct)
    {
        var role = RequestMapping.ParseEnum<Role>(body.Role, "role");
        if (role.Error is { } e) return P.From(e);
        return await Run(m, new GrantRole(new ParticipantId(id), role.Value, http.User.ToActor(), clock.UtcNow), http, ct);
    }

    static async Task<Results<Ok<ParticipantView>, ProblemHttpResult>> Revoke(string id, string role, IMediator m, IClock clock, HttpContext http, CancellationToken ct)
    {
        var parsed = RequestMapping.ParseEnum<Role>(role, "role");
        if (parsed.Error is { } e) return P.From(e);
        return await Run(m, new RevokeRole(new ParticipantId(id), parsed.Value, http.User.ToActor(), clock.UtcNow), http, ct);
    }

    static Task<Results<Ok<ParticipantView>, ProblemHttpResult>> Suspend(string id, SuspensionRequest body, IMediator m, IClock clock, HttpContext http, CancellationToken ct) =>
        Run(m, new SuspendParticipant(new ParticipantId(id), body.Reason ?? "", http.User.ToActor(), clock.UtcNow), http, ct);

    static Task<Results<Ok<ParticipantView>, ProblemHttpResult>> Reinstate(string id, IMediator m, IClock clock, HttpContext http, CancellationToken ct) =>
        Run(m, new ReinstateParticipant(new ParticipantId(id), http.User.ToActor(), clock.UtcNow), http, ct);

    static async Task<Results<Ok<ParticipantView>, ProblemHttpResult>> SigningKey(string id, SigningKeyRequest body, IMediator m, IClock clock, HttpContext http, CancellationToken ct)
    {
        var key = SignedCommands.ParsePublicKey(body.PublicKey);
        if (key is null) return P.From(RequestErrors.Invalid("publicKey", "publicKey must be an ECDSA P-256 public key as PEM ('-----BEGIN PUBLIC KEY-----') or base64 SubjectPublicKeyInfo."));
        var spki = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());
        var keyId = SignedCommands.KeyIdOf(key);
        return await Run(m, new RegisterSigningKey(new ParticipantId(id), keyId, spki, http.User.ToActor(), clock.UtcNow), http, ct);
    }

    static async Task<Results<Ok<ParticipantView>, ProblemHttpResult>> Get(string id, IEventStore store, HttpContext http, CancellationToken ct)
    {
        if (ApplicantGate.IsUnverifiedApplicant(http.User) && http.User.ParticipantIdOrNull() != id) return P.From(AccessErrors.ApplicantUnverified);
        var state = await ParticipantDirectory.Load(store, new ParticipantId(id), ct);
        if (!state.Exists) return P.From(ParticipantErrors.NotFound(new ParticipantId(id)));
        return TypedResults.Ok(ParticipantView.From(state));
    }

    /// <param name="status">Applied, Verified or Rejected; none for every participant (by id).</param>
    static async Task<Results<Ok<ParticipantPage>, ProblemHttpResult>> List([OneOf(typeof(ParticipantStatus), "None")] string? status, string? cursor,
        [Range(1, ParticipantQueries.MaxLimit)] int? limit, ParticipantQueries participants, CancellationToken ct)
    {
        if (QueryRules.PageSize(limit, ParticipantQueries.MaxLimit) is { } badLimit) return P.From(badLimit);
        var only = ListedStatus(status);
        if (only.Error is { } badStatus) return P.From(badStatus);
        try { return TypedResults.Ok(await participants.List(only.Value, cursor, limit ?? 100, ct)); }
        catch (InvalidCursorException e) { return P.From(RequestErrors.InvalidCursor(e.Message)); }
    }

    /// <summary>A status to list by, as the list's query names it (None is no participant's status).</summary>
    public static Result<ParticipantStatus?> ListedStatus(string? status)
    {
        if (string.IsNullOrEmpty(status)) return Result<ParticipantStatus?>.Of(null);
        var parsed = RequestMapping.ParseEnum<ParticipantStatus>(status, "status");
        if (parsed.Error is { } e) return e;
        return parsed.Value == ParticipantStatus.None
            ? RequestErrors.Invalid("status", "status must be Applied, Verified or Rejected.")
            : Result<ParticipantStatus?>.Of(parsed.Value);
    }

    static async Task<Results<Ok<ParticipantView>, ProblemHttpResult>> Run(IMediator m, IParticipantCommand c, HttpContext http, CancellationToken ct)
    {
        var outcome = await Send(m, c, http, ct);
        return outcome.Error is { } e ? P.From(e) : TypedResults.Ok(ParticipantView.From(outcome.State!));
    }

    static async Task<CommandOutcome<ParticipantState>> Send(IMediator m, IParticipantCommand c, HttpContext http, CancellationToken ct)
    {
        return await m.Send(new ExecuteParticipantCommand(c, Context(http)), ct);
    }

    static CommandContext Context(HttpContext http)
    {
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        return new CommandContext(http.User.Login(), IdempotencyKey: key.Length > 0 ? key : null);
    }

    static Result<IReadOnlyList<Role>> Roles(IReadOnlyList<string>? names)
    {
        // A long list is refused before a single entry is parsed (the body limit already stops a million of them).
        if (names is { Count: > ParticipantLimits.Roles }) return ParticipantDecider.TooManyRoles;
        var roles = new List<Role>();
        foreach (var r in names ?? [])
        {
            var role = RequestMapping.ParseEnum<Role>(r, "roles");
            if (role.Error is { } e) return e;
            roles.Add(role.Value);
        }
        return roles;
    }
}
