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
    const string Sql = "SELECT event_store_append($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)";

    /// <summary>The answers' columns (declared first: <see cref="Types"/> ends with them).</summary>
    static readonly NpgsqlDbType[] AnswerTypes =
    [
        NpgsqlDbType.Array | NpgsqlDbType.Text, NpgsqlDbType.Array | NpgsqlDbType.Text, NpgsqlDbType.Array | NpgsqlDbType.Integer,
        NpgsqlDbType.Array | NpgsqlDbType.Text, NpgsqlDbType.Array | NpgsqlDbType.Text, NpgsqlDbType.Array | NpgsqlDbType.Text,
        NpgsqlDbType.Array | NpgsqlDbType.Bytea,
    ];

    static readonly NpgsqlDbType[] Types =
    [
        NpgsqlDbType.Array | NpgsqlDbType.Text, NpgsqlDbType.Array | NpgsqlDbType.Bigint, NpgsqlDbType.Array | NpgsqlDbType.Uuid,
        NpgsqlDbType.Array | NpgsqlDbType.Text, NpgsqlDbType.Array | NpgsqlDbType.Integer, NpgsqlDbType.Array | NpgsqlDbType.Jsonb,
        NpgsqlDbType.Array | NpgsqlDbType.Jsonb, NpgsqlDbType.Array | NpgsqlDbType.Bytea, NpgsqlDbType.Array | NpgsqlDbType.Bytea,
        NpgsqlDbType.Array | NpgsqlDbType.Text, NpgsqlDbType.Array | NpgsqlDbType.Bigint, NpgsqlDbType.Array | NpgsqlDbType.Bytea,
        NpgsqlDbType.Array | NpgsqlDbType.Text, NpgsqlDbType.Array | NpgsqlDbType.Text, NpgsqlDbType.Array | NpgsqlDbType.Integer,
        // Idempotency keys reserved (0030), then answers stored.
        NpgsqlDbType.Array | NpgsqlDbType.Text, NpgsqlDbType.Array | NpgsqlDbType.Text, NpgsqlDbType.Array | NpgsqlDbType.Bytea,
        .. AnswerTypes,
    ];

    /// <summary>The answers alone, when no append waits to carry them: no sequence lock, no notification.</summary>
    const string AnswersSql = """
        UPDATE idempotency_keys i SET completed_at = now(), status_code = a.status_code, content_type = a.content_type, location = a.location,
               etag = a.etag, body = a.body
        FROM unnest($1, $2, $3, $4, $5, $6, $7) AS a(participant_id, key, status_code, content_type, location, etag, body)
        WHERE i.participant_id = a.participant_id AND i.key = a.key
        """;

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
    readonly List<string> _claimParticipant = [], _claimKey = [];
    readonly List<byte[]> _claimHash = [];

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

    public void AddClaim(IdempotencyClaim claim)
    {
        _claimParticipant.Add(claim.Key.Participant); _claimKey.Add(claim.Key.Key); _claimHash.Add(claim.RequestHash);
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

    /// <param name="answers">Answers of earlier keyed requests, stored in the same transaction.</param>
    public void Bind(NpgsqlCommand cmd, IReadOnlyList<PendingAnswer> answers)
    {
        object[] values =
        [
            _stream.ToArray(), _version.ToArray(), _id.ToArray(), _type.ToArray(), _schema.ToArray(), _data.ToArray(), _metadata.ToArray(),
            _hash.ToArray(), _previous.ToArray(), _linkStream.ToArray(), _linkVersion.ToArray(), _linkHash.ToArray(),
            _key.ToArray(), _keyStream.ToArray(), _keyOrdinal.ToArray(),
            _claimParticipant.ToArray(), _claimKey.ToArray(), _claimHash.ToArray(),
            .. AnswerValues(answers),
        ];
        for (var i = 0; i < values.Length; i++) cmd.Parameters[i].Value = values[i];
    }

    static object[] AnswerValues(IReadOnlyList<PendingAnswer> answers) =>
    [
        answers.Select(a => a.Key.Participant).ToArray(), answers.Select(a => a.Key.Key).ToArray(), answers.Select(a => a.Answer.Status).ToArray(),
        answers.Select(a => a.Answer.ContentType).ToArray(), answers.Select(a => a.Answer.Location).ToArray(),
        answers.Select(a => a.Answer.ETag).ToArray(), answers.Select(a => a.Answer.Body).ToArray(),
    ];

    /// <summary>The statement that stores answers when no append carries them.</summary>
    public static NpgsqlCommand CreateAnswersCommand(NpgsqlConnection conn, IReadOnlyList<PendingAnswer> answers)
    {
        var cmd = new NpgsqlCommand(AnswersSql, conn);
        var values = AnswerValues(answers);
        for (var i = 0; i < values.Length; i++) cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = AnswerTypes[i], Value = values[i] });
        return cmd;
    }
}
