namespace AssetLedger.Infrastructure.EventStore;

/// <summary>A stream's last event as far as one observer knows: its version and hash (hex, null for an empty stream).</summary>
sealed record Head(long Version, string? LastHash)
{
    public static readonly Head Empty = new(0, null);
}

/// <summary>
/// The highest (version, hash) this process has seen per stream, from its own commits and from reads. Events
/// never change, so an entry is always true of the event it names; it may only be behind the stream's real
/// head (another process appended). That is why it is a hint, never a decision: an append planned from it
/// is checked by the database (unique version, the hash link in <c>event_store_append</c>), and one that
/// fails there is decided again from authoritative reads. Its gain is that the usual append needs no read
/// under the sequence lock.
/// </summary>
sealed class StreamHeads(int capacity)
{
    readonly Dictionary<string, Head> _heads = new(StringComparer.Ordinal);
    readonly Lock _gate = new();

    public bool TryGet(string stream, out Head head)
    {
        lock (_gate) return _heads.TryGetValue(stream, out head!);
    }

    public void Observe(string stream, long version, string hash)
    {
        lock (_gate) Put(stream, version, hash);
    }

    public void Observe(IEnumerable<KeyValuePair<string, Head>> heads)
    {
        lock (_gate)
            foreach (var (stream, head) in heads)
                if (head.LastHash is not null) Put(stream, head.Version, head.LastHash);
    }

    void Put(string stream, long version, string hash)
    {
        if (_heads.TryGetValue(stream, out var known) && known.Version >= version) return;
        // Forgetting costs a slower append later, never a wrong one, so a full cache simply starts over.
        if (_heads.Count >= capacity) _heads.Clear();
        _heads[stream] = new Head(version, hash);
    }
}
