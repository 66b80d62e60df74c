namespace AssetLedger.Application.Batching;

/// <summary>
/// The queue behind a group commit or a shared read (issue 21): callers add their items, one drainer at a time takes them in
/// rounds of at most <paramref name="maxPerRound"/>, in the order added, and a round takes only items added before it began.
/// The caller whose <see cref="Add"/> returns true starts the drainer; the drainer takes rounds until <see cref="Take"/>
/// returns null, which also lets the next <see cref="Add"/> start it again.
/// </summary>
public sealed class RoundQueue<T>(int maxPerRound)
{
    readonly Lock _gate = new();
    List<T> _waiting = [];
    bool _draining;

    /// <summary>Queues <paramref name="item"/>; true if no drainer runs, so the caller must start one.</summary>
    public bool Add(T item)
    {
        lock (_gate)
        {
            _waiting.Add(item);
            if (_draining) return false;
            return _draining = true;
        }
    }

    /// <summary>The next round, oldest first; null when nothing waits, and the drainer then stops.</summary>
    public List<T>? Take()
    {
        lock (_gate)
        {
            if (_waiting.Count == 0)
            {
                _draining = false;
                return null;
            }
            List<T> round;
            if (_waiting.Count <= maxPerRound) (round, _waiting) = (_waiting, []);
            else
            {
                round = _waiting.GetRange(0, maxPerRound);
                _waiting.RemoveRange(0, maxPerRound);
            }
            return round;
        }
    }
}
