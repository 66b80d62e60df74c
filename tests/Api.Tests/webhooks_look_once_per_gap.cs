using System.Diagnostics;
using AssetLedger.Api.Tests.Support;
using AssetLedger.Infrastructure.Webhooks;
using static AssetLedger.Api.Tests.Support.AssetScenario;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 21: every commit wakes the deliverer, but under a stream of commits it looks for due subscriptions at most once per
/// <see cref="WebhookOptions.LookGap"/> (a statement each, which nearly always finds nothing due); a commit after a quiet
/// spell is still looked at at once. The gap here is three seconds and the clock's own poll ten minutes, so each look
/// counted was a commit's.
/// </summary>
public sealed class webhooks_look_once_per_gap : IAsyncLifetime
{
    static readonly TimeSpan Gap = TimeSpan.FromSeconds(3);

    readonly ApiServer _api = new()
    {
        Settings = new Dictionary<string, string>
        {
            ["AssetLedger:Webhooks:PollInterval"] = "00:10:00",
            ["AssetLedger:Webhooks:LookGap"] = Gap.ToString(),
        },
    };

    public async Task InitializeAsync()
    {
        await _api.InitializeAsync();
        await Cast(_api);
    }

    public Task DisposeAsync() => _api.DisposeAsync();

    [Fact]
    public async Task a_commit_after_a_quiet_spell_is_looked_at_at_once_and_a_stream_of_commits_once_per_gap()
    {
        var leases = _api.Service<WebhookLeases>();
        // Quiet: no look for longer than the gap (the set-up's commits may have left one waiting for its gap to end).
        var quiet = leases.Looks;
        var still = Stopwatch.StartNew();
        var waited = Stopwatch.StartNew();
        while (still.Elapsed < Gap + TimeSpan.FromMilliseconds(500))
        {
            Assert.True(waited.Elapsed < TimeSpan.FromMinutes(1), "the deliverer kept looking without commits");
            await Task.Delay(50);
            if (leases.Looks == quiet) continue;
            quiet = leases.Looks;
            still.Restart();
        }
        await Pending(_api);
        var committed = Stopwatch.StartNew();
        while (leases.Looks == quiet && committed.Elapsed < Gap / 2) await Task.Delay(20);
        Assert.True(leases.Looks > quiet, $"no look within {Gap.TotalSeconds / 2} s of a commit after a quiet spell");

        // Twenty commits in a row: without the gap each would start a look.
        var before = leases.Looks;
        var stream = Stopwatch.StartNew();
        for (var i = 0; i < 20; i++) await Pending(_api);
        var looks = leases.Looks - before;
        var allowed = (long)(stream.Elapsed / Gap) + 2;
        Assert.True(looks <= allowed, $"{looks} looks during {stream.Elapsed.TotalSeconds:F1} s of commits; at most {allowed} with a gap of {Gap.TotalSeconds} s");
    }
}
