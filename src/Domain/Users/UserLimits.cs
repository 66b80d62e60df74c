using AssetLedger.Domain.Common;

namespace AssetLedger.Domain.Users;

/// <summary>Every limit on what a user command carries; <see cref="UserDecider"/> and the password check enforce them.</summary>
public static class UserLimits
{
    public const int LoginMin = 3;
    public const int LoginMax = 64;

    /// <summary>What <see cref="UserDecider.IsWellFormedLogin"/> accepts, as the OpenAPI document publishes it.</summary>
    public const string LoginPattern = "^[a-z0-9._@-]{3,64}$";

    public const int DisplayName = 200;

    /// <summary>A password's length: checked by <see cref="Password"/> and published in the OpenAPI document from the same numbers.</summary>
    public const int PasswordMin = 10;
    public const int PasswordMax = 200;

    /// <summary>The one password rule (a user's password, an application's admin password), naming the request's field.</summary>
    public static DomainError? Password(string? password, string field) =>
        password is { Length: >= PasswordMin and <= PasswordMax } ? null : UserErrors.Invalid(field, $"{field} must be {PasswordMin}–{PasswordMax} characters.");

    /// <summary>Why a user is disabled.</summary>
    public const int Reason = 2000;
}
