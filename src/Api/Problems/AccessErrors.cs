using AssetLedger.Domain.Common;

namespace AssetLedger.Api.Problems;

/// <summary>Refusals before an endpoint runs, or at the token endpoint: who the caller is, what it may call, how often, with which key.</summary>
public static class AccessErrors
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public static DomainError AuthenticationRequired(string detail) => new("auth.required", detail, ErrorKind.Unauthenticated);

    public static readonly DomainError RolesForbid = new("auth.forbidden", "Your participant's roles do not allow this endpoint.", ErrorKind.Forbidden);

    public static readonly DomainError InvalidRefreshToken =
        new("auth.invalid_refresh_token", "The refresh token is unknown, already used or expired; log in with your password.", ErrorKind.Unauthenticated);

    /// <summary>A refresh token whose user was disabled since it was issued.</summary>
    public static readonly DomainError UserDisabled = new("auth.user_disabled", "This user is disabled.", ErrorKind.Forbidden);

    /// <summary>An applicant the operator has not verified yet reads only its own application and its own user.</summary>
    public static readonly DomainError ApplicantUnverified = new("auth.applicant_unverified",
        "Your organisation's application is not verified yet: until the operator verifies it you may read only your own application (GET /api/v1/participants/{your id}) and your user (GET /api/v1/users/me), and change your password.",
        ErrorKind.Forbidden);

    public static readonly DomainError TooManyApplications = new("participant.too_many_applications",
        $"Too many applications from your address: at most {Domain.Participants.ApplicationLimits.PerAddress} in {Domain.Participants.ApplicationLimits.Window.TotalMinutes:0} minutes; retry after the time in Retry-After.",
        ErrorKind.TooManyRequests);

    public static DomainError SignatureInvalid(string detail) => new("signature.invalid", detail, ErrorKind.Unauthenticated);

    public static DomainError SignatureStale(string signedAt, TimeSpan maxSkew) => new("signature.stale",
        $"The command was signed at {signedAt}, more than {maxSkew.TotalMinutes:0} minutes from the server's clock; sign it again with the current time.", ErrorKind.Unauthenticated);

    public static readonly DomainError IdempotencyKeyInvalid = new("idempotency.key_invalid",
        "Idempotency-Key must be 1–200 printable ASCII characters (a UUID is a good choice).", ErrorKind.Malformed, IdempotencyHeader);

    public static readonly DomainError IdempotencyKeyReused = new("idempotency.key_reused",
        "This Idempotency-Key was already used with a different request (method, path or body); use a new key for a new request.", ErrorKind.Invalid, IdempotencyHeader);

    public static readonly DomainError IdempotencyInProgress = new("idempotency.in_progress",
        "A request with this Idempotency-Key is still being processed; retry in a moment to get its answer.", ErrorKind.Conflict, IdempotencyHeader);
}
