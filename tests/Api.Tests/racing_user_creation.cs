using System.Net;
using System.Text.Json;
using AssetLedger.Api.Tests.Support;
using AssetLedger.Application.Ports;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 14, item 1: an attacker and the operator create the same login at the same moment, the attacker for itself and
/// the operator for another participant. A login is claimed once, with its credential; the loser changes nothing.
/// </summary>
public sealed class racing_user_creation(ApiServer api) : IClassFixture<ApiServer>
{
    const int Rounds = 30;

    [Fact]
    public async Task the_loser_of_a_race_for_a_login_never_gets_a_credential()
    {
        await api.Participants(("racer-a", "Owner"), ("victim-v", "Owner"));
        var attacker = await api.Token("racer-a");
        var operatorToken = await api.Token("operator");
        var hasher = api.Service<IPasswordHasher>();

        for (var round = 0; round < Rounds; round++)
        {
            var login = $"race-{round}@shared";
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var attack = Create(gate.Task, attacker, login, "racer-a", $"attacker password {round}");
            var honest = Create(gate.Task, operatorToken, login, "victim-v", $"operator password {round}");
            gate.SetResult();
            var (a, o) = (await attack, await honest);

            Assert.True((a.Status == HttpStatusCode.Created) ^ (o.Status == HttpStatusCode.Created), $"round {round}: exactly one wins, got {a} and {o}");
            var (winner, loser, owner) = a.Status == HttpStatusCode.Created
                ? ($"attacker password {round}", $"operator password {round}", "racer-a")
                : ($"operator password {round}", $"attacker password {round}", "victim-v");
            var stored = await api.Text($"SELECT hash FROM credentials WHERE login = '{login}'");
            Assert.False(hasher.Verify(stored, loser), $"round {round}: the loser's password is stored");
            var lost = a.Status == HttpStatusCode.Created ? o : a;
            Assert.Equal(HttpStatusCode.Conflict, lost.Status);
            Assert.Equal("user.exists", lost.Code);
            // Failed logins are rate-limited per address, so only some rounds try the loser's password over HTTP too.
            if (round < 10) Assert.Equal(HttpStatusCode.Unauthorized, (await api.Login(login, loser)).Status);
            var won = await api.Login(login, winner);
            Assert.Equal(HttpStatusCode.OK, won.Status);
            var me = await api.SendRaw(HttpMethod.Get, "/api/v1/users/me", won.Json["accessToken"]!.GetValue<string>(), null);
            Assert.Equal(owner, me.Json["participantId"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task an_application_that_loses_its_admin_login_records_nothing()
    {
        await api.Participants(("victim-w", "Owner"));
        var operatorToken = await api.Token("operator");
        var hasher = api.Service<IPasswordHasher>();

        for (var round = 0; round < Rounds / 3; round++)
        {
            var (login, applicant) = ($"apply-race-{round}@shared", $"applicant-{round}");
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var application = Apply(gate.Task, applicant, login, $"applicant password {round}");
            var honest = Create(gate.Task, operatorToken, login, "victim-w", $"operator password {round}");
            gate.SetResult();
            var (a, o) = (await application, await honest);

            Assert.True((a.Status == HttpStatusCode.Created) ^ (o.Status == HttpStatusCode.Created), $"round {round}: exactly one wins, got {a} and {o}");
            var applicationWon = a.Status == HttpStatusCode.Created;
            var stored = await api.Text($"SELECT hash FROM credentials WHERE login = '{login}'");
            Assert.True(hasher.Verify(stored, applicationWon ? $"applicant password {round}" : $"operator password {round}"), $"round {round}: the winner's password is stored");
            Assert.False(hasher.Verify(stored, applicationWon ? $"operator password {round}" : $"applicant password {round}"), $"round {round}: the loser's password is stored");
            Assert.Equal("user.exists", (applicationWon ? o : a).Code);
            var participant = await api.Get($"/api/v1/participants/{applicant}", "operator");
            Assert.Equal(applicationWon ? HttpStatusCode.OK : HttpStatusCode.NotFound, participant.Status);
        }
    }

    [Fact]
    public async Task a_credential_left_without_its_user_is_not_inherited_by_the_next_creator()
    {
        // An attempt that stored its hash and died before recording the user (what the old code could leave).
        var stale = api.Service<IPasswordHasher>().Hash("stale password 1");
        await api.Scalar($"INSERT INTO credentials (login, hash) VALUES ('orphan@shared', '{stale}') RETURNING 1");
        await api.Participants(("orphan-owner", "Owner"));

        var create = await api.Post("/api/v1/users", "operator", new { login = "orphan@shared", participantId = "orphan-owner", displayName = "Orphan", password = "fresh password 2" });

        Assert.Equal(HttpStatusCode.Created, create.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Login("orphan@shared", "stale password 1")).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.Login("orphan@shared", "fresh password 2")).Status);
    }

    [Fact]
    public async Task a_new_password_for_an_existing_user_still_replaces_the_old_one()
    {
        await api.Participants(("pw-owner", "Owner"));
        Assert.Equal(HttpStatusCode.Created, (await api.Post("/api/v1/users", "operator", new { login = "pw@shared", participantId = "pw-owner", displayName = "PW", password = "first password 1" })).Status);

        Assert.Equal(HttpStatusCode.OK, (await api.Post("/api/v1/users/pw@shared/password", "operator", new { password = "second password 2" })).Status);

        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Login("pw@shared", "first password 1")).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.Login("pw@shared", "second password 2")).Status);
    }

    async Task<Reply> Apply(Task gate, string applicant, string login, string password)
    {
        await gate;
        return await api.SendRaw(HttpMethod.Post, "/api/v1/participants/applications", null, JsonSerializer.Serialize(new
        {
            id = applicant, name = "Applicant Co.", creditCode = "91350100M000100Y43", contact = "Li Na +86 22 5555 0101",
            roles = new[] { "Owner" }, adminLogin = login, adminPassword = password,
        }));
    }

    async Task<Reply> Create(Task gate, string token, string login, string participant, string password)
    {
        await gate;
        return await api.SendRaw(HttpMethod.Post, "/api/v1/users", token,
            JsonSerializer.Serialize(new { login, participantId = participant, displayName = "Racer", password }));
    }
}
