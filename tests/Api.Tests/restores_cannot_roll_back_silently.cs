using System.Net;
using AssetLedger.Api.Tests.Support;
using AssetLedger.Application.Ports;
using AssetLedger.Cli;
using AssetLedger.Cli.Commands;
using AssetLedger.Infrastructure.Ledger;

namespace AssetLedger.Api.Tests;

/// <summary>
/// A database restored from a backup older than a checkpoint an anchor holds: the registry refuses writes and names the
/// checkpoint until an operator acknowledges the loss. The "backup" is a database from before the anchored writes (a
/// fresh one), served with the same keys, as a restore would be.
/// </summary>
public sealed class restores_cannot_roll_back_silently : IAsyncLifetime
{
    readonly ApiServer _first = new();
    ApiServer? _restored;

    public Task InitializeAsync() => _first.InitializeAsync();

    public async Task DisposeAsync()
    {
        if (_restored is not null) await _restored.DisposeAsync();
        await _first.DisposeAsync();
    }

    static object Participant(string id) => new { id, name = $"{id} Co., Ltd.", roles = new[] { "Owner" } };

    [Fact]
    public async Task a_restore_from_before_an_anchored_checkpoint_refuses_writes_until_the_loss_is_acknowledged()
    {
        await _first.Participants(("owner-a", "Owner"), ("owner-b", "Owner"));
        var mark = Path.Combine(_first.KeyDirectory, PublishedMark.FileName);
        var head = (await _first.Get("/health/ready", null)).Json["headPosition"]!.GetValue<long>();
        PublishedCheckpoint? published = null;
        for (var i = 0; i < 200; i++)
        {
            if ((published = PublishedMark.Read(mark)) is { } p && p.TreeSize >= head) break;
            await Task.Delay(50);
        }
        Assert.True(published is not null && published.TreeSize >= head, $"no anchored checkpoint covering {head} was published");
        Assert.Equal(201, (int)(await _first.Post("/api/v1/participants", "operator", Participant("owner-c"))).Status);

        _restored = new ApiServer { KeyDirectory = _first.KeyDirectory };
        await _restored.InitializeAsync();
        var refused = await _restored.Post("/api/v1/participants", "operator", Participant("owner-z"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
        Assert.Equal("ledger.rolled_back", refused.Json["code"]!.GetValue<string>());
        var missing = PublishedMark.Read(mark)!;
        Assert.Contains($"lacks checkpoint {missing.TreeSize} (note hash {missing.CheckpointHash})", refused.Json["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await _restored.Get("/api/v1/participants/operator", "operator")).Status);

        var args = new[] { "ledger", "acknowledge-loss", "--connection", _restored.ConnectionString, "--keys", _first.KeyDirectory };
        Assert.Equal(ExitCodes.Ok, await CliApp.Create().Parse(args).InvokeAsync());

        Assert.Equal(HttpStatusCode.Created, (await _restored.Post("/api/v1/participants", "operator", Participant("owner-z"))).Status);
        Assert.Contains($"lost checkpoint {missing.TreeSize} {missing.CheckpointHash}", File.ReadAllText(Path.Combine(_first.KeyDirectory, PublishedMark.LossLogName)));
    }
}
