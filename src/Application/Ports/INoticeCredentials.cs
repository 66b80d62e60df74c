namespace AssetLedger.Application.Ports;

/// <summary>The keys a participant's systems sign inbound notices with (Infrastructure's table, migration 0023).</summary>
public interface INoticeCredentials
{
    /// <summary>Stores the participant's credentials, replacing any it had.</summary>
    Task Register(NoticeCredentials credentials, CancellationToken ct);

    Task<NoticeCredentials?> Find(string participant, CancellationToken ct);

    /// <summary>Removes them: no notice of this participant verifies any more.</summary>
    Task<bool> Delete(string participant, CancellationToken ct);
}

/// <param name="Secret">The HMAC secret behind <c>v1</c> (<c>whsec_…</c>), or null.</param>
/// <param name="PublicKey">The Ed25519 public key behind <c>v1a</c> (<c>whpk_…</c>), or null.</param>
public sealed record NoticeCredentials(string Participant, string? Secret, string? PublicKey, string RegisteredBy, DateTimeOffset RegisteredAt);
