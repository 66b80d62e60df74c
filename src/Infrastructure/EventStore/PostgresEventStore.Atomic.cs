using AssetLedger.Application.Ports;
using AssetLedger.Ledger.Canonical;
using Npgsql;

namespace AssetLedger.Infrastructure.EventStore;

public sealed partial class PostgresEventStore
{
    /// <summary>
    /// Several streams all or nothing: decided from committed state like the checked path, and written by one call of
    /// <c>event_store_append</c> (one statement, one transaction) only when every request is an append; its constraints
    /// (versions, hash links, unique keys) then refuse all of it if anything changed since the read. It does not join the
    /// queue's batches, whose appends are isolated from each other when one fails, which is the opposite of what is wanted here.
    /// </summary>
    public async Task<IReadOnlyList<AppendResult>> Append(IReadOnlyList<AppendRequest> requests, CancellationToken ct)
    {
        if (requests.Count == 1) return [await Append(requests[0], ct)];
        if (requests.Count == 0) throw new ArgumentException("At least one append is required.", nameof(requests));
        foreach (var r in requests) Validate(r);
        if (requests.Select(r => r.StreamId).Distinct(StringComparer.Ordinal).Count() != requests.Count)
            throw new ArgumentException("Each stream appears once in an atomic append.", nameof(requests));
        var batch = requests.Select(r => new PendingAppend(r,
            r.Events.Select(e => new PreparedEvent(e, Jcs.CanonicalizeToUtf8(e.Data), Jcs.CanonicalizeToUtf8(e.Metadata))).ToArray(),
            new TaskCompletionSource<AppendResult>())).ToList();

        await using var conn = new WriterConnection(_db);
        for (var attempt = 1; ; attempt++)
        {
            var append = await conn.Append(ct);
            var stored = await ReadStored(append.Connection!, batch, ct);
            _heads.Observe(stored.Heads);
            var plan = BatchPlan.FromStored(batch, stored);
            var decided = plan.Results(stored.LastPosition);
            if (decided.All(r => r.Status == AppendStatus.AlreadyAppended)) return decided;
            // Some already stored and some not cannot come of one atomic append: it is another append's events.
            var refused = decided.FirstOrDefault(r => r.Status is not (AppendStatus.Appended or AppendStatus.AlreadyAppended))
                ?? (decided.Any(r => r.Status == AppendStatus.AlreadyAppended) ? new AppendResult(AppendStatus.WrongExpectedVersion, 0, []) : null);
            if (refused is not null)
                return [.. decided.Select(r => refused with { StreamVersion = r.StreamVersion, Events = [] })];
            plan.Rows.Bind(append, []);
            try
            {
                // Handed to the database: committed or refused whatever the caller does now (as a queued append).
                var basePosition = (long)(await append.ExecuteScalarAsync(_stop.Token))!;
                _heads.Observe(plan.NewHeads);
                _signal.Pulse();
                return plan.Results(basePosition);
            }
            catch (PostgresException ex) when (attempt < CheckedAttempts && ex.SqlState is PostgresErrorCodes.UniqueViolation or "AL409")
            {
                // Another writer changed a stream or took a key after the read: decide again from what is committed now.
            }
        }
    }
}
