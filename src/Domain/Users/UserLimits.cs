namespace AssetLedger.Domain.Users;

/// <summary>Every limit on what a user command carries; <see cref="UserDecider"/> and the password check enforce them.</summary>
public static class UserLimits
{
    public const int LoginMin = 3;
    public const int LoginMax = 64;

    /// <summary>What <see cref="UserDecider.IsWellFormedLogin"/> accepts, as the OpenAPI document publishes it.</summary>
    public const string LoginPattern = "^[a-z0-9._@-]{3,64}$";

    public const int DisplayName = 200;

    /// <summary>A password's length; the credential check (Application's UserCommandHandler, its own code) holds the same numbers.</summary>
    public const int PasswordMin = 10;
    public const int PasswordMax = 200;

    /// <summary>Why a user is disabled.</summary>
    public const int Reason = 2000;
}
