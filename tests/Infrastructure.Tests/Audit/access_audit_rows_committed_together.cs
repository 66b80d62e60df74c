using AssetLedger.Application.Ports;
using AssetLedger.Infrastructure.Audit;
using AssetLedger.Infrastructure.Tests.Support;
using Npgsql;

namespace AssetLedger.Infrastructure.Tests.Audit;

/// <summary>
/// The access audit group-commits its rows (issue 21): rows recorded while a write runs go in the next one together, each
/// caller still waiting for its own row's commit, in the order recorded and exactly as given; a row PostgreSQL refuses fails
/// only its own caller.
/// </summary>
public sealed class access_audit_rows_committed_together(PostgresDatabase db) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task rows_recorded_while_a_write_waits_are_committed_together_in_order_and_unchanged()
    {
        var audit = new PostgresAccessAudit(db.DataSource);
        var first = Row("first", roles: ["Regulator"]);
        var rest = Enumerable.Range(0, 20).Select(i => Row($"row-{i}", roles: i % 2 == 0 ? ["Regulator", "Operator"] : [],
            participant: i % 3 == 0 ? null : "reg-1", query: i % 4 == 0 ? "asOf=2026-12-06" : null)).ToList();

        Task written;
        List<Task> later;
        await using (var blocker = await HoldInserts())
        {
            written = audit.Record(first, CancellationToken.None);
            await InsertWaiting();
            later = rest.Select(r => audit.Record(r, CancellationToken.None)).ToList();
            Assert.False(written.IsCompleted);
            Assert.DoesNotContain(later, t => t.IsCompleted);
        }
        await written;
        await Task.WhenAll(later);

        var rows = (await Rows()).Where(r => r.Record.Id == first.Id || rest.Any(x => x.Id == r.Record.Id)).ToList();
        Assert.Equal([first.Id, .. rest.Select(r => r.Id)], rows.Select(r => r.Record.Id));
        Assert.Single(rows.Skip(1).Select(r => r.Xmin).Distinct());
        Assert.NotEqual(rows[0].Xmin, rows[1].Xmin);
        foreach (var (expected, (actual, _)) in rest.Zip(rows.Skip(1)))
        {
            Assert.Equal(expected.Roles, actual.Roles);
            Assert.Equal(expected with { Roles = actual.Roles }, actual);
        }
    }

    [Fact]
    public async Task a_row_postgresql_refuses_fails_its_own_caller_and_not_the_rows_written_with_it()
    {
        var audit = new PostgresAccessAudit(db.DataSource);
        var (before, bad, after) = (Row("before"), Row("bad") with { Path = "/api/v1/trace/assets/a\0b" }, Row("after"));

        Task held, good1, refused, good2;
        await using (var blocker = await HoldInserts())
        {
            held = audit.Record(Row("held"), CancellationToken.None);
            await InsertWaiting();
            (good1, refused, good2) = (audit.Record(before, CancellationToken.None), audit.Record(bad, CancellationToken.None), audit.Record(after, CancellationToken.None));
        }
        await held;
        await good1;
        await good2;
        await Assert.ThrowsAsync<PostgresException>(() => refused);

        var ids = (await Rows()).Select(r => r.Record.Id).ToList();
        Assert.Contains(before.Id, ids);
        Assert.Contains(after.Id, ids);
        Assert.DoesNotContain(bad.Id, ids);
    }

    static AccessRecord Row(string trace, IReadOnlyList<string>? roles = null, string? participant = "reg-1", string? query = null) =>
        new(Guid.CreateVersion7(), new DateTimeOffset(2026, 12, 6, 3, 0, 0, TimeSpan.Zero), participant, participant is null ? null : "reg-1.user",
            roles ?? ["Regulator"], "GET", $"/api/v1/trace/assets/{trace}", query, $"asset:{trace}", 200, 3, trace);

    /// <summary>A session holding a lock that makes every INSERT into access_audit wait until it is disposed (rolled back).</summary>
    async Task<Held> HoldInserts()
    {
        var conn = await db.DataSource.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand("BEGIN; LOCK TABLE access_audit IN SHARE MODE", conn);
        await cmd.ExecuteNonQueryAsync();
        return new Held(conn);
    }

    sealed class Held(NpgsqlConnection conn) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using (var rollback = new NpgsqlCommand("ROLLBACK", conn)) await rollback.ExecuteNonQueryAsync();
            await conn.DisposeAsync();
        }
    }

    /// <summary>Until the audit's first INSERT is waiting for the lock: what is recorded from then on goes in a later write.</summary>
    Task InsertWaiting() => Eventually.WaitUntil(async () =>
        await db.Scalar<long>("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO access_audit%'") > 0,
        "the audit's INSERT to wait for the lock");

    async Task<List<(AccessRecord Record, string Xmin)>> Rows()
    {
        await using var cmd = db.DataSource.CreateCommand(
            "SELECT id, at, participant_id, user_id, roles, method, path, query, resource, status, duration_ms, trace_id, xmin::text FROM access_audit ORDER BY seq");
        var rows = new List<(AccessRecord, string)>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
            rows.Add((new AccessRecord(r.GetGuid(0), r.GetFieldValue<DateTimeOffset>(1), Text(r, 2), Text(r, 3), r.GetFieldValue<string[]>(4), r.GetString(5),
                r.GetString(6), Text(r, 7), Text(r, 8), r.GetInt32(9), r.GetInt32(10), Text(r, 11)), r.GetString(12)));
        return rows;
    }

    static string? Text(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
