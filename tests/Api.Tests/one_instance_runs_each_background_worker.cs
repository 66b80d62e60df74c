using System.Net;
using AssetLedger.Api.Tests.Support;
using AssetLedger.Infrastructure;
using AssetLedger.Infrastructure.Tests.Support;
using Microsoft.Extensions.Hosting;
using static AssetLedger.Api.Tests.Support.AssetScenario;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 21: two API processes on one database do not both run the projector and the ledger's worker (tree, checkpoints,
/// anchors): each worker runs in one of them (<see cref="WorkerLead"/>), and the work of both reaches the read models and
/// the ledger.
/// </summary>
public sealed class one_instance_runs_each_background_worker(TwoInstances instances) : IClassFixture<TwoInstances>
{
    [Fact]
    public async Task of_two_instances_one_runs_each_worker_and_what_either_writes_is_projected_checkpointed_and_anchored()
    {
        await Cast(instances.First);
        var leads = new[] { instances.First, instances.Second }.SelectMany(i => i.Service<IEnumerable<IHostedService>>().OfType<WorkerLead>()).ToList();
        Assert.Equal(["ledger", "ledger", "projections", "projections"], leads.Select(l => l.Name).Order());
        await Eventually.WaitUntil(() => Task.FromResult(leads.Count(l => l.Leading) == 2), "each worker to lead in one instance");
        Assert.Single(leads, l => l.Name == "ledger" && l.Leading);
        Assert.Single(leads, l => l.Name == "projections" && l.Leading);

        long last = 0;
        foreach (var instance in new[] { instances.First, instances.Second })
        {
            var written = await instance.Post("/api/v1/assets", "owner-a", Receipt());
            Assert.True(written.Status == HttpStatusCode.Created, written.ToString());
            last = Math.Max(last, written.Json["events"]![0]!["position"]!.GetValue<long>());
        }
        await Eventually.WaitUntil(async () => await instances.First.Scalar("SELECT min(position) FROM projection_checkpoints") >= last, "the projections to pass both events");
        await Eventually.WaitUntil(async () => await instances.First.Scalar("SELECT coalesce(max(last_size), 0) FROM anchor_cursors WHERE anchor = 'local'") >= last,
            "a checkpoint over both events, anchored");
    }
}
