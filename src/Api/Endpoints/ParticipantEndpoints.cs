using AssetLedger.Api.Hosting;
using AssetLedger.Api.Contracts;
using AssetLedger.Api.Security;
using AssetLedger.Application.Assets;
using AssetLedger.Application.Participants;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Participants;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using P = AssetLedger.Api.Problems.Problems;

namespace AssetLedger.Api.Endpoints;

public static class ParticipantEndpoints
{
    public static RouteGroupBuilder MapParticipants(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/participants").WithTags("Participants").RequireAuthorization();
        g.MapPost("/", Register).WithSummary("Register a participant with its roles (operator only)").WithCommandProblems();
        g.MapGet("/{id}", Get).WithSummary("A participant and the roles it holds").WithReadProblems();
        return g;
    }

    static async Task<Results<Created<ParticipantView>, ProblemHttpResult>> Register(RegisterParticipantRequest body, IMediator mediator, IClock clock, HttpContext http, CancellationToken ct)
    {
        var id = RequestMapping.Participant(body.Id, "id");
        if (id.Error is { } e1) return P.From(e1);
        var roles = new List<Role>();
        foreach (var r in body.Roles ?? [])
        {
            var role = RequestMapping.ParseEnum<Role>(r, "roles");
            if (role.Error is { } e2) return P.From(e2);
            roles.Add(role.Value);
        }
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        var command = new RegisterParticipant(id.Value, body.Name ?? "", roles, http.User.ToActor(), clock.UtcNow);
        var outcome = await mediator.Send(new ExecuteRegisterParticipant(command, new CommandContext(IdempotencyKey: key.Length > 0 ? key : null)), ct);
        if (outcome.Error is { } error) return P.From(error);
        var view = new ParticipantView(id.Value.Value, command.Name.Trim(), roles.Distinct().Order().Select(r => r.ToString()).ToList(), outcome.Version);
        return TypedResults.Created($"/api/v1/participants/{view.Id}", view);
    }

    static async Task<Results<Ok<ParticipantView>, ProblemHttpResult>> Get(string id, IEventStore store, CancellationToken ct)
    {
        var state = await ParticipantDirectory.Load(store, new ParticipantId(id), ct);
        if (!state.Exists) return P.From(ParticipantErrors.NotFound(new ParticipantId(id)));
        return TypedResults.Ok(new ParticipantView(state.Id.Value, state.Name, state.Roles.Select(r => r.ToString()).ToList(), state.Version));
    }
}
