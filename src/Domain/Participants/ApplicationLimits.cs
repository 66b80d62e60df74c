namespace AssetLedger.Domain.Participants;

/// <summary>
/// Anonymous applications per client address: each costs a password hash and writes a participant and a user, so one
/// address may send only a few in a window, on all instances together.
/// </summary>
public static class ApplicationLimits
{
    /// <summary>Applications (valid or not) from one address in <see cref="Window"/>; further ones wait until it ends.</summary>
    public const int PerAddress = 20;
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);
}
