using AssetLedger.Application.Ports;
using Npgsql;
using NpgsqlTypes;

namespace AssetLedger.Infrastructure.EventStore;

/// <summary>
/// The arguments of one call of <c>event_store_append</c> (Migrations/0008_event_store_append.sql): the
/// events as column arrays (a multi-row insert through unnest), the hash links the database must confirm,
/// and the unique keys claimed.
/// </summary>
sealed class AppendRows
{
    const string Sql = "SELECT event_store_append($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)";

    static readonly NpgsqlDbType[] Types =
    [
        NpgsqlDbType.Array | NpgsqlDbType.Text, NpgsqlDbType.Array | NpgsqlDbType.Bigint, NpgsqlDbType.Array | NpgsqlDbType.Uuid,
        NpgsqlDbType.Array | NpgsqlDbType.Text, NpgsqlDbType.Array | NpgsqlDbType.Integer, NpgsqlDbType.Array | NpgsqlDbType.Jsonb,
        NpgsqlDbType.Array | NpgsqlDbType.Jsonb, NpgsqlDbType.Array | NpgsqlDbType.Bytea, NpgsqlDbType.Array | NpgsqlDbType.Bytea,
        NpgsqlDbType.Array | NpgsqlDbType.Text, NpgsqlDbType.Array | NpgsqlDbType.Bigint, NpgsqlDbType.Array | NpgsqlDbType.Bytea,
        NpgsqlDbType.Array | NpgsqlDbType.Text, NpgsqlDbType.Array | NpgsqlDbType.Text, NpgsqlDbType.Array | NpgsqlDbType.Integer,
    ];

    readonly List<string> _stream = [], _type = [], _data = [], _metadata = [];
    readonly List<long> _version = [];
    readonly List<Guid> _id = [];
    readonly List<int> _schema = [];
    readonly List<byte[]> _hash = [];
    readonly List<byte[]?> _previous = [];
    readonly List<string> _linkStream = [];
    readonly List<long> _linkVersion = [];
    readonly List<byte[]> _linkHash = [];
    readonly List<string> _key = [], _keyStream = [];
    readonly List<int> _keyOrdinal = [];

    public int Count => _stream.Count;

    /// <returns>The event's ordinal in the batch: its position will be the batch's base plus this.</returns>
    public int AddEvent(string stream, long version, EventToAppend e, byte[] hash, byte[]? previousHash)
    {
        _stream.Add(stream); _version.Add(version); _id.Add(e.EventId); _type.Add(e.Type); _schema.Add(e.SchemaVersion);
        _data.Add(e.Data); _metadata.Add(e.Metadata); _hash.Add(hash); _previous.Add(previousHash);
        return _stream.Count;
    }

    /// <summary>The stream's event <paramref name="version"/>, which the batch builds on, must be stored with <paramref name="hash"/>.</summary>
    public void AddLink(string stream, long version, byte[] hash)
    {
        _linkStream.Add(stream); _linkVersion.Add(version); _linkHash.Add(hash);
    }

    public void AddKey(string key, string stream, int ordinal)
    {
        _key.Add(key); _keyStream.Add(stream); _keyOrdinal.Add(ordinal);
    }

    /// <summary>
    /// The call with typed parameters and no values, to be prepared once per connection: the server then
    /// neither parses nor plans it again, and the function's own statements keep their plans in that session.
    /// </summary>
    public static NpgsqlCommand CreateCommand(NpgsqlConnection conn)
    {
        var cmd = new NpgsqlCommand(Sql, conn);
        foreach (var t in Types) cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = t });
        return cmd;
    }

    public void Bind(NpgsqlCommand cmd)
    {
        object[] values =
        [
            _stream.ToArray(), _version.ToArray(), _id.ToArray(), _type.ToArray(), _schema.ToArray(), _data.ToArray(), _metadata.ToArray(),
            _hash.ToArray(), _previous.ToArray(), _linkStream.ToArray(), _linkVersion.ToArray(), _linkHash.ToArray(),
            _key.ToArray(), _keyStream.ToArray(), _keyOrdinal.ToArray(),
        ];
        for (var i = 0; i < values.Length; i++) cmd.Parameters[i].Value = values[i];
    }
}
