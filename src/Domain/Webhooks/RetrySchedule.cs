namespace AssetLedger.Domain.Webhooks;

/// <summary>
/// When a failed delivery is tried again: the Standard Webhooks schedule (immediately, then after 5 s, 5 min, 30 min,
/// 2 h, 5 h, 10 h and 10 h), its last step repeated until the subscription has failed for longer than the disable
/// window. A subscription waits on its head event alone, so a failing endpoint holds up only itself.
/// </summary>
public static class RetrySchedule
{
    public static readonly IReadOnlyList<TimeSpan> Steps =
    [
        TimeSpan.Zero, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(2), TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    /// <summary>The wait after the <paramref name="failures"/>-th failure in a row (1 = the first attempt failed).</summary>
    /// <param name="scale">Shrinks the schedule (tests); 1 in service.</param>
    public static TimeSpan After(int failures, double scale = 1) =>
        Steps[Math.Clamp(failures, 1, Steps.Count - 1)] * scale;

    /// <summary>Whether a subscription failing since <paramref name="failingSince"/> is to be disabled now.</summary>
    public static bool GivesUp(DateTimeOffset? failingSince, DateTimeOffset now, TimeSpan disableAfter) =>
        failingSince is { } since && now - since >= disableAfter;
}
