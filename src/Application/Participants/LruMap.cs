namespace AssetLedger.Application.Participants;

/// <summary>
/// A map of at most <see cref="Capacity"/> entries that makes room by dropping the one read least recently. Thread-safe (one
/// lock; every operation is a few pointer moves). Replacing a value is conditional (<see cref="TryReplace"/>), so a writer
/// that computed from a value which was dropped and loaded again meanwhile cannot put an older one back.
/// </summary>
public sealed class LruMap<TKey, TValue> where TKey : notnull where TValue : class
{
    readonly Dictionary<TKey, LinkedListNode<(TKey Key, TValue Value)>> _map;
    readonly LinkedList<(TKey Key, TValue Value)> _recent = new(); // most recently read first
    readonly Lock _gate = new();

    public LruMap(int capacity, IEqualityComparer<TKey>? comparer = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _map = new Dictionary<TKey, LinkedListNode<(TKey, TValue)>>(comparer);
    }

    public int Capacity { get; }

    public int Count { get { lock (_gate) return _map.Count; } }

    /// <summary>The value, which becomes the most recently read.</summary>
    public bool TryGetValue(TKey key, out TValue value)
    {
        lock (_gate)
        {
            if (!_map.TryGetValue(key, out var node))
            {
                value = null!;
                return false;
            }
            _recent.Remove(node);
            _recent.AddFirst(node);
            value = node.Value.Value;
            return true;
        }
    }

    /// <summary>The value without counting it as read (for whoever keeps the values current, not for their readers).</summary>
    public bool TryPeek(TKey key, out TValue value)
    {
        lock (_gate)
        {
            var found = _map.TryGetValue(key, out var node);
            value = found ? node!.Value.Value : null!;
            return found;
        }
    }

    /// <summary>Adds the key as the most recently read, dropping the least recently read entry if the map is full; false if the key is there.</summary>
    public bool TryAdd(TKey key, TValue value)
    {
        lock (_gate)
        {
            if (_map.ContainsKey(key)) return false;
            _map[key] = _recent.AddFirst((key, value));
            if (_map.Count > Capacity)
            {
                _map.Remove(_recent.Last!.Value.Key);
                _recent.RemoveLast();
            }
            return true;
        }
    }

    /// <summary>Replaces the key's value if it is still <paramref name="expected"/> (the same object), keeping its place.</summary>
    public bool TryReplace(TKey key, TValue expected, TValue value)
    {
        lock (_gate)
        {
            if (!_map.TryGetValue(key, out var node) || !ReferenceEquals(node.Value.Value, expected)) return false;
            node.Value = (key, value);
            return true;
        }
    }

    public bool TryRemove(TKey key)
    {
        lock (_gate)
        {
            if (!_map.Remove(key, out var node)) return false;
            _recent.Remove(node);
            return true;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _map.Clear();
            _recent.Clear();
        }
    }
}
