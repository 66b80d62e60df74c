using AssetLedger.Application.Batching;
using System.Data.Common;
using AssetLedger.Application.Ports;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace AssetLedger.Projections.Trace;

/// <summary>What a kept timeline is checked against, read in one snapshot taken after the check was asked for.</summary>
/// <param name="ProjectedThrough">The read models' position.</param>
/// <param name="TakenAt">The snapshot's moment.</param>
/// <param name="AssetPosition">The asset row's last position; null if the read models do not know the asset.</param>
/// <param name="ParticipantsChanged">The newest position written into a participant row.</param>
/// <param name="Head">The ledger's head.</param>
internal sealed record TraceCheck(long ProjectedThrough, DateTimeOffset TakenAt, long? AssetPosition, long ParticipantsChanged, LedgerHead Head);

/// <summary>
/// The checks of kept timelines (<see cref="TraceCache"/>), shared between the requests that ask at once (issue 21): one
/// statement reads the read models' position, the time, the newest participant change and the ledger's head once, with the
/// last position of every asset asked about, in one snapshot.
/// </summary>
/// <remarks>
/// Exact as of the request, as a statement of its own was: a round takes only the checks asked for before it began, so its
/// snapshot is taken after each was asked for; a check asked for while a round runs waits for the next one (and rounds follow
/// each other at once while checks wait, as the event store's group commit does). Under load one statement serves several
/// reads, and a timeline served as kept takes no connection from the pool of its own. At most <see cref="MaxAssets"/> checks
/// go in one round; the rest go in the next.
/// </remarks>
internal sealed class TraceCheckRounds(NpgsqlDataSource db, LedgerHeadQuery head)
{
    public const int MaxAssets = 1000;

    /// <summary>One statement, so one snapshot without a transaction of its own; the assets' positions in the order asked.</summary>
    /// <remarks>
    /// The assets come as a JSON array of their ids, not as a uuid[]: PostgreSQL knows a uuid[]'s length in a plan made for
    /// the call and not in the kept plan, so a round of one or two assets always looked cheaper planned afresh, and it was: 7 of
    /// 10 rounds were planned again, at 0.4–0.9 ms each, several times what running them cost (52–95 µs of PostgreSQL's time per
    /// request of the mixed load). A JSON array's length is unknown to both, so the kept plan is taken. Each asset is looked up
    /// by its key in a sub-select of its own, so no guess of the array's length can choose to read the whole table.
    /// </remarks>
    internal string RoundSql { get; } = Statement(head,
        """
        ARRAY(SELECT (SELECT a.last_position FROM assets a WHERE a.asset_id = u.asset_id::uuid)
              FROM jsonb_array_elements_text($1::jsonb) WITH ORDINALITY AS u(asset_id, n) ORDER BY u.n)
        """);

    /// <summary>
    /// What a check reads, in one statement: the read models' position, the time, <paramref name="assetPositions"/> (one
    /// asset's last position, or the positions of several), the newest participant change, and the ledger's head.
    /// </summary>
    internal static string Statement(LedgerHeadQuery head, string assetPositions) =>
        $"""
        SELECT coalesce((SELECT min(position) FROM projection_checkpoints), 0), now(), {assetPositions},
               ({TraceQueries.ParticipantsChangedSql}), h.*
        FROM ({head.Statement}) h
        """;

    /// <summary>A check from the statement's row, given the asset's position read from its third column.</summary>
    internal static TraceCheck Read(DbDataReader r, LedgerHeadQuery head, long? assetPosition) =>
        new(r.GetInt64(0), r.GetFieldValue<DateTimeOffset>(1), assetPosition, r.GetInt64(3), head.Read(r, 4));

    readonly RoundQueue<(Guid Asset, TaskCompletionSource<TraceCheck> Answer)> _waiting = new(MaxAssets);
    long _rounds;

    /// <summary>Rounds run so far (each one statement).</summary>
    public long Rounds => Interlocked.Read(ref _rounds);

    /// <summary>The check of <paramref name="asset"/>, in a round that begins after this call.</summary>
    public Task<TraceCheck> Check(Guid asset, CancellationToken ct)
    {
        var answer = new TaskCompletionSource<TraceCheck>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_waiting.Add((asset, answer)))
            // Not under the caller's activity: the rounds serve every request that waits, not the one that started them.
            using (ExecutionContext.SuppressFlow()) _ = Task.Run(Run, CancellationToken.None);
        return answer.Task.WaitAsync(ct);
    }

    async Task Run()
    {
        while (_waiting.Take() is { } round)
        {
            try
            {
                Interlocked.Increment(ref _rounds);
                await using var conn = await db.OpenConnectionAsync(CancellationToken.None);
                await using var check = new NpgsqlCommand(RoundSql, conn) { Parameters = { new NpgsqlParameter { Value = JsonSerializer.Serialize(round.Select(w => w.Asset)), NpgsqlDbType = NpgsqlDbType.Jsonb } } };
                await using var r = await check.ExecuteReaderAsync(CancellationToken.None);
                await r.ReadAsync(CancellationToken.None);
                var positions = r.GetFieldValue<long?[]>(2);
                var read = Read(r, head, null);
                for (var i = 0; i < round.Count; i++)
                    round[i].Answer.TrySetResult(read with { AssetPosition = positions[i] });
            }
            catch (Exception ex)
            {
                foreach (var (_, answer) in round) answer.TrySetException(ex);
            }
        }
    }
}
