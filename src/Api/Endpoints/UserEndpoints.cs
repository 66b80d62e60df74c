using AssetLedger.Api.Contracts;
using AssetLedger.Api.Hosting;
using AssetLedger.Api.Security;
using AssetLedger.Application.Commands;
using AssetLedger.Application.Ports;
using AssetLedger.Application.Users;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Users;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using P = AssetLedger.Api.Problems.Problems;

namespace AssetLedger.Api.Endpoints;

/// <summary>Accounts: the operator manages all; a participant manages its own users; everyone changes their own password.</summary>
public static class UserEndpoints
{
    public static RouteGroupBuilder MapUsers(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/users").WithTags("Users").RequireAuthorization();
        g.MapPost("/", Create).WithCommandProblems().WithSummary("Create a user for a participant (the operator, or the participant itself)");
        g.MapGet("/me", Me).WithSummary("The logged-in user").WithReadProblems().OpenToApplicants();
        g.MapPost("/{login}/password", Password).WithCommandProblems().WithSummary("Set a new password (the user, its participant or the operator)").OpenToApplicants();
        g.MapPost("/{login}/disable", Disable).WithCommandProblems().WithSummary("Disable a user (its participant or the operator)");
        g.MapPost("/{login}/enable", Enable).WithCommandProblems().WithSummary("Enable a disabled user (its participant or the operator)");
        return g;
    }

    static async Task<Results<Created<UserView>, ProblemHttpResult>> Create(CreateUserRequest body, IMediator m, IClock clock, HttpContext http, CancellationToken ct)
    {
        var participant = RequestMapping.Participant(body.ParticipantId, "participantId");
        if (participant.Error is { } e1) return P.From(e1);
        var outcome = await m.Send(new ExecuteUserCommand(new CreateUser(body.Login ?? "", participant.Value, body.DisplayName ?? "", http.User.ToActor(), clock.UtcNow),
            http.User.Login(), body.Password, new CommandContext()), ct);
        return outcome.Error is { } e ? P.From(e) : TypedResults.Created($"/api/v1/users/{body.Login}", UserView.From(outcome.State!));
    }

    static async Task<Results<Ok<UserView>, ProblemHttpResult>> Me(IEventStore store, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(UserView.From(await UserCommandHandler.Load(store, http.User.Login()!, ct)));

    static Task<Results<Ok<UserView>, ProblemHttpResult>> Password(string login, PasswordRequest body, IMediator m, IClock clock, HttpContext http, CancellationToken ct) =>
        Run(m, new SetPassword(login, http.User.ToActor(), clock.UtcNow), body.Password, http, ct);

    static Task<Results<Ok<UserView>, ProblemHttpResult>> Disable(string login, DisableUserRequest body, IMediator m, IClock clock, HttpContext http, CancellationToken ct) =>
        Run(m, new DisableUser(login, body.Reason ?? "", http.User.ToActor(), clock.UtcNow), null, http, ct);

    static Task<Results<Ok<UserView>, ProblemHttpResult>> Enable(string login, IMediator m, IClock clock, HttpContext http, CancellationToken ct) =>
        Run(m, new EnableUser(login, http.User.ToActor(), clock.UtcNow), null, http, ct);

    static async Task<Results<Ok<UserView>, ProblemHttpResult>> Run(IMediator m, IUserCommand c, string? password, HttpContext http, CancellationToken ct)
    {
        var outcome = await m.Send(new ExecuteUserCommand(c, http.User.Login(), password, new CommandContext()), ct);
        return outcome.Error is { } e ? P.From(e) : TypedResults.Ok(UserView.From(outcome.State!));
    }
}
