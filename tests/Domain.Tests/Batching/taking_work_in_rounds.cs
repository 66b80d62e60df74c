using AssetLedger.Application.Batching;

namespace AssetLedger.Domain.Tests.Batching;

/// <summary>
/// <see cref="RoundQueue{T}"/>, behind the access audit's group commit and the trace's shared checks: one drainer at a time,
/// rounds in the order added and no larger than asked, and a round holds only what was added before it was taken.
/// </summary>
public sealed class taking_work_in_rounds
{
    [Fact]
    public void the_first_caller_starts_the_drainer_and_the_others_join_its_next_round()
    {
        var queue = new RoundQueue<int>(3);
        Assert.True(queue.Add(1));
        Assert.False(queue.Add(2));
        Assert.Equal([1, 2], queue.Take()!);

        // Added while that round runs: in the next one, not the one already taken; still no second drainer.
        Assert.False(queue.Add(3));
        Assert.False(queue.Add(4));
        Assert.False(queue.Add(5));
        Assert.False(queue.Add(6));
        Assert.Equal([3, 4, 5], queue.Take()!);
        Assert.Equal([6], queue.Take()!);

        // Drained: the drainer stops, and the next caller starts it again.
        Assert.Null(queue.Take());
        Assert.True(queue.Add(7));
        Assert.Equal([7], queue.Take()!);
    }

    [Fact]
    public async Task callers_at_once_start_one_drainer_and_every_item_is_taken_once()
    {
        var queue = new RoundQueue<int>(10);
        var taken = new System.Collections.Concurrent.ConcurrentBag<int>();
        var drains = new System.Collections.Concurrent.ConcurrentBag<Task>();
        var holding = 0;
        var overlapped = false;
        void Drain()
        {
            while (queue.Take() is { } round)
            {
                // A drainer holds a round from its Take to its next: two at once would be two drainers.
                if (Interlocked.Increment(ref holding) > 1) overlapped = true;
                foreach (var i in round) taken.Add(i);
                Thread.SpinWait(50);
                Interlocked.Decrement(ref holding);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 1000; i++)
                if (queue.Add(t * 1000 + i)) drains.Add(Task.Run(Drain));
        })));
        await Task.WhenAll(drains);
        Assert.False(overlapped, "two drainers ran at once");
        Assert.Equal(Enumerable.Range(0, 8000), taken.Order());
    }
}
