namespace AssetLedger.Domain.Users;

/// <summary>
/// How failed logins slow down guessing without letting a stranger lock someone else out (OWASP's authentication
/// guidance): a back-off per login and client address together, so failures from one address never stop the same login
/// from another; and a short per-address window against one address spraying many logins. Every failure counts, for
/// known and unknown logins alike, so the answers reveal nothing about which logins exist.
/// </summary>
public static class LoginLimits
{
    /// <summary>Consecutive failures of one login from one address before it must wait.</summary>
    public const int FailuresBeforeBackOff = 5;
    public static readonly TimeSpan FirstBackOff = TimeSpan.FromMinutes(1);
    /// <summary>The wait doubles with each further failure, up to this.</summary>
    public static readonly TimeSpan MaxBackOff = TimeSpan.FromMinutes(15);
    /// <summary>A login and address with no failure for this long start counting afresh.</summary>
    public static readonly TimeSpan ForgetAfter = TimeSpan.FromDays(1);

    /// <summary>Failures of any login from one address in <see cref="AddressWindow"/>; then the address waits until the window ends.</summary>
    public const int FailuresPerAddress = 20;
    public static readonly TimeSpan AddressWindow = TimeSpan.FromMinutes(1);
}
