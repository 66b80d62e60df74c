namespace AssetLedger.Application.Ports;

/// <summary>
/// The access audit: who asked the registry what, when, and what they were answered. Append-only; every trace,
/// registry and audit read is recorded before its answer is sent, so there is no answer without a record.
/// </summary>
public interface IAccessAudit
{
    Task Record(AccessRecord record, CancellationToken ct);

    /// <summary>Records matching the query, newest first.</summary>
    Task<AccessAuditPage> Read(AccessAuditQuery query, CancellationToken ct);
}

/// <param name="Id">Also given to the caller (X-Access-Audit-Id), so a notice can cite the search that produced it.</param>
/// <param name="Participant">The authenticated participant; null if the caller was not authenticated.</param>
/// <param name="User">The participant's user, where the login names one.</param>
/// <param name="Query">The query string without its leading '?', null if there was none.</param>
/// <param name="Resource">What was looked at: <c>asset:{id}</c>, <c>participant:{id}</c>, <c>key:{natural key}</c>, <c>assets</c>…</param>
/// <param name="Status">The HTTP status answered.</param>
public sealed record AccessRecord(
    Guid Id, DateTimeOffset At, string? Participant, string? User, IReadOnlyList<string> Roles, string Method, string Path, string? Query,
    string? Resource, int Status, int DurationMs, string? TraceId);

/// <param name="Before">Only records older than this sequence number (the previous page's <see cref="AccessAuditPage.NextBefore"/>).</param>
/// <param name="From">Inclusive lower bound on the time.</param>
/// <param name="To">Exclusive upper bound on the time.</param>
public sealed record AccessAuditQuery(string? Participant, DateTimeOffset? From, DateTimeOffset? To, long? Before, int Limit);

/// <param name="Seq">The record's place in the audit (increasing).</param>
public sealed record AccessAuditEntry(long Seq, AccessRecord Record);

/// <param name="NextBefore">Pass as <see cref="AccessAuditQuery.Before"/> for the next page; null on the last page.</param>
public sealed record AccessAuditPage(IReadOnlyList<AccessAuditEntry> Items, long? NextBefore);
