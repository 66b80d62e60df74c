using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace AssetLedger.Ledger.Devices;

/// <summary>
/// Devices' public keys, imported once and lent out for verifying. Importing a P-256 key (an OpenSSL key built from its
/// parameters) costs about 40 % of an ES256 verification, and a device sending its readings one a message had its key
/// imported for every message: the profile of 1,000 devices (scripts/profile-iot.sh) showed 3 % of the registry's samples
/// in the import against 7 % in the verification itself. A key object is used by one thread at a time (.NET promises no
/// more), so each key is a small pool: <see cref="Rent"/> takes an idle copy or imports one, <see cref="Return"/> gives it
/// back. The pools are keyed by the key's own bytes, so a rotated key is simply another entry; past
/// <see cref="MaxKeys"/> keys the cache starts again empty (a registry of more devices imports more often, nothing worse).
/// </summary>
public sealed class VerificationKeys
{
    /// <summary>Keys kept at most: a few hundred bytes of OpenSSL state each, and a copy per core at most.</summary>
    public const int MaxKeys = 100_000;

    readonly ConcurrentDictionary<string, ConcurrentBag<ECDsa>> _pools = new(StringComparer.Ordinal);
    readonly int _copies = Math.Max(1, Environment.ProcessorCount);

    /// <summary>A key object for the SubjectPublicKeyInfo (base64), or null when it cannot be read; give it back with <see cref="Return"/>.</summary>
    public ECDsa? Rent(string publicKeySpki) =>
        _pools.TryGetValue(publicKeySpki, out var pool) && pool.TryTake(out var key) ? key : SignedReadings.KeyOf(publicKeySpki);

    /// <summary>Keeps a rented key for the next reading under it, or disposes it when enough copies are idle.</summary>
    public void Return(string publicKeySpki, ECDsa? key)
    {
        if (key is null) return;
        if (_pools.Count >= MaxKeys && !_pools.ContainsKey(publicKeySpki)) Clear();
        var pool = _pools.GetOrAdd(publicKeySpki, _ => []);
        if (pool.Count < _copies) pool.Add(key);
        else key.Dispose();
    }

    void Clear()
    {
        foreach (var spki in _pools.Keys)
            if (_pools.TryRemove(spki, out var pool))
                while (pool.TryTake(out var key)) key.Dispose();
    }
}
