using AssetLedger.Application.Commands;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Users;

namespace AssetLedger.Application.Users;

/// <summary>
/// How a user's sessions end. An access token carries its session version (<see cref="VersionOf"/>): the user's and its
/// participant's counts of session-ending events, read from the same two streams that token validation reads on every
/// request anyway, so a reset, a disable, a role revocation or a suspension refuses older tokens at once on every
/// instance, with no cache and no further query. Refresh tokens are revoked in the database at the same time.
/// </summary>
public sealed class UserSessions(IEventStore store, IParticipantDirectory directory, ICredentialStore credentials, IRefreshTokens refresh, IUserDirectory users)
{
    /// <summary>The session version a token issued now carries; a token whose version differs is refused.</summary>
    public static string VersionOf(UserState user, ParticipantInfo participant) => $"{user.SessionVersion}.{participant.SessionVersion}";

    /// <summary>Ends the refresh tokens of one user (its access tokens ended with the event that bumped its version).</summary>
    public Task End(string login, CancellationToken ct) => refresh.RevokeAll(login, ct);

    /// <summary>Ends the refresh tokens of every user of the participant.</summary>
    public async Task EndAll(ParticipantId participant, CancellationToken ct)
    {
        foreach (var login in await UsersOf(participant, ct)) await refresh.RevokeAll(login, ct);
    }

    /// <summary>
    /// Releases every user of a rejected applicant before its id is freed: each is unbound (an event), its credential
    /// forgotten and its refresh tokens revoked, so no one who applies under the id later inherits a login into it.
    /// </summary>
    public async Task<DomainError?> Release(ParticipantId participant, string reason, Actor actor, DateTimeOffset at, CommandContext context, CancellationToken ct)
    {
        var releases = new CommandService<ExecuteUserCommand, UserState, IUserEvent>(store,
            UserCommandHandler.Table(store, directory, (_, _) => Task.FromResult<DomainError?>(null)));
        foreach (var login in await UsersOf(participant, ct))
        {
            var outcome = await releases.Run(new ExecuteUserCommand(new ReleaseUser(login, reason, actor, at), context.User, null, context), ct);
            if (outcome.Error is { Code: not "user.not_found" } refused) return refused;
            await credentials.Remove(login, ct);
            await refresh.RevokeAll(login, ct);
        }
        return null;
    }

    async Task<List<string>> UsersOf(ParticipantId participant, CancellationToken ct)
    {
        var current = new List<string>();
        foreach (var login in await users.LoginsOf(participant, ct))
            if (await UserCommandHandler.Load(store, login, ct) is { Exists: true } user && user.Participant == participant)
                current.Add(login);
        return current;
    }
}
