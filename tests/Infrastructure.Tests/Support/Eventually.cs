namespace AssetLedger.Infrastructure.Tests.Support;

/// <summary>Polls a condition that background work makes true, and says what it waited for when it gives up.</summary>
public static class Eventually
{
    public static async Task WaitUntil(Func<Task<bool>> condition, string what, int seconds = 40)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Waited {seconds} s for {what}.");
            await Task.Delay(50);
        }
    }
}
