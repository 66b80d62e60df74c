using System.Text.Json;
using AssetLedger.Ledger.Canonical;

namespace AssetLedger.Ledger.Tests.Canonical;

/// <summary>
/// Vectors/event-hashes.json pins the canonical envelope bytes and the SHA-256 of a few events, so a change
/// to canonicalisation or hashing (which would break every stored chain) fails here. It was checked against
/// an independent implementation (Python's json with sorted keys, which agrees with JCS on this data).
/// </summary>
public class event_hash_vectors
{
    public static TheoryData<int> Indexes() => new(Enumerable.Range(0, Load().Count));

    static List<JsonElement> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Vectors", "event-hashes.json");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement.EnumerateArray().ToList();
    }

    [Theory]
    [MemberData(nameof(Indexes))]
    public void each_vector_canonicalizes_and_hashes_to_the_pinned_values(int index)
    {
        var v = Load()[index];
        var previous = v.GetProperty("previousHash").ValueKind == JsonValueKind.Null ? null : v.GetProperty("previousHash").GetString();

        var canonical = EventHasher.CanonicalEnvelope(
            Jcs.Canonicalize(v.GetProperty("data")), v.GetProperty("eventId").GetGuid(), Jcs.Canonicalize(v.GetProperty("metadata")),
            previous, v.GetProperty("schemaVersion").GetInt32(), v.GetProperty("streamId").GetString()!, v.GetProperty("type").GetString()!,
            v.GetProperty("version").GetInt64());

        Assert.Equal(v.GetProperty("canonical").GetString(), canonical);
        Assert.Equal(v.GetProperty("sha256").GetString(), EventHasher.Hex(EventHasher.Hash(canonical)));
    }

    [Theory]
    [MemberData(nameof(Indexes))]
    public void the_utf8_path_the_store_uses_hashes_each_vector_to_the_pinned_value(int index)
    {
        var v = Load()[index];
        var previous = v.GetProperty("previousHash").ValueKind == JsonValueKind.Null ? null : v.GetProperty("previousHash").GetString();

        var hash = EventHasher.Hash(
            Jcs.CanonicalizeToUtf8(v.GetProperty("data").GetRawText()), v.GetProperty("eventId").GetGuid(), Jcs.CanonicalizeToUtf8(v.GetProperty("metadata").GetRawText()),
            previous, v.GetProperty("schemaVersion").GetInt32(), v.GetProperty("streamId").GetString()!, v.GetProperty("type").GetString()!,
            v.GetProperty("version").GetInt64());

        Assert.Equal(v.GetProperty("sha256").GetString(), EventHasher.Hex(hash));
    }

    [Fact]
    public void the_vectors_form_one_hash_chain()
    {
        var vs = Load();
        for (var i = 1; i < vs.Count; i++)
            Assert.Equal(vs[i - 1].GetProperty("sha256").GetString(), vs[i].GetProperty("previousHash").GetString());
    }
}
