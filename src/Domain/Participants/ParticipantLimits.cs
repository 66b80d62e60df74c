namespace AssetLedger.Domain.Participants;

/// <summary>
/// Every limit on what a participant command carries, in one place. <see cref="ParticipantDecider"/> enforces them; the
/// Api publishes them in the OpenAPI document and refuses an over-long roles list before it parses a single entry.
/// </summary>
public static class ParticipantLimits
{
    /// <summary>An organisation's name.</summary>
    public const int Name = 200;

    /// <summary>A contact: a person, a phone number or an e-mail address.</summary>
    public const int Contact = 200;

    /// <summary>Why an application is rejected or a participant suspended.</summary>
    public const int Reason = 2000;

    /// <summary>Roles in one request: each grantable role once at most.</summary>
    public const int Roles = 8;

    /// <summary>An ECDSA P-256 public key as PEM or base64 SubjectPublicKeyInfo (about 180 characters as PEM).</summary>
    public const int PublicKey = 1000;
}
