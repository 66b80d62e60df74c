namespace AssetLedger.Api.Tests.Support;

/// <summary>Two API processes on one database and key, as behind a load balancer: one per test class.</summary>
public sealed class TwoInstances : IAsyncLifetime
{
    public ApiServer First { get; } = new();
    public ApiServer Second { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await First.InitializeAsync();
        Second = await First.SecondInstance();
    }

    public async Task DisposeAsync()
    {
        await Second.DisposeAsync();
        await First.DisposeAsync();
    }
}
