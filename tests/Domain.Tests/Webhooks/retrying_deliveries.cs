using AssetLedger.Domain.Webhooks;

namespace AssetLedger.Domain.Tests.Webhooks;

public sealed class retrying_deliveries
{
    [Fact]
    public void the_waits_follow_the_standard_webhooks_schedule_and_repeat_its_last_step()
    {
        var waits = Enumerable.Range(1, 9).Select(n => RetrySchedule.After(n)).ToArray();

        Assert.Equal(new[] { TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
            TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10), TimeSpan.FromHours(10), TimeSpan.FromHours(10) }, waits);
    }

    [Fact]
    public void a_subscription_is_given_up_only_after_failing_for_the_whole_window()
    {
        var since = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.False(RetrySchedule.GivesUp(since, since.AddDays(5).AddSeconds(-1), TimeSpan.FromDays(5)));
        Assert.True(RetrySchedule.GivesUp(since, since.AddDays(5), TimeSpan.FromDays(5)));
        Assert.False(RetrySchedule.GivesUp(null, since.AddYears(1), TimeSpan.FromDays(5)));
    }

    [Fact]
    public void event_types_are_named_after_the_stored_names()
    {
        Assert.Equal("cn.assetledger.asset.transferred-out", WebhookEventTypes.ByStoredName["asset-transferred-out"]);
        Assert.Equal("cn.assetledger.asset.evidence-attached", WebhookEventTypes.ByStoredName["evidence-attached"]);
        Assert.Contains("cn.assetledger.asset.frozen", WebhookEventTypes.All);
    }

    [Fact]
    public void a_subscription_must_name_an_http_url_and_known_types_and_kinds()
    {
        Assert.Null(WebhookRules.Check("https://bank.example/hooks", ["cn.assetledger.asset.frozen"], ["WarehouseReceipt"]));
        Assert.Equal("url", WebhookRules.Check("ftp://bank.example/hooks", null, null)!.Field);
        Assert.Equal("url", WebhookRules.Check("https://user:pw@bank.example/hooks", null, null)!.Field);
        Assert.Equal("eventTypes", WebhookRules.Check("https://bank.example/", ["asset.frozen"], null)!.Field);
        Assert.Equal("assetKinds", WebhookRules.Check("https://bank.example/", null, ["Gold"])!.Field);
    }
}
