namespace AssetLedger.Domain.Common;

/// <summary>
/// Why a command was refused: a stable machine code (<c>asset.locked</c>) and a sentence for a person.
/// The Api maps each <see cref="ErrorKind"/> to one HTTP status, once.
/// </summary>
public sealed record DomainError(string Code, string Message, ErrorKind Kind, string? Field = null)
{
    public override string ToString() => $"{Code}: {Message}";
}

public enum ErrorKind
{
    /// <summary>The input is malformed or out of range (422).</summary>
    Invalid,
    /// <summary>The actor may not do this (403).</summary>
    Forbidden,
    /// <summary>The thing does not exist (404).</summary>
    NotFound,
    /// <summary>The current state does not allow it (409).</summary>
    Conflict,
    /// <summary>The caller's precondition (an If-Match version) no longer holds (412).</summary>
    PreconditionFailed,
    /// <summary>The request cannot be read as asked: a query parameter out of its range, a cursor not handed out (400).</summary>
    Malformed,
    /// <summary>The caller is not known: no token, a bad token or signature, a wrong password (401).</summary>
    Unauthenticated,
    /// <summary>The account is locked for a while (423).</summary>
    Locked,
    /// <summary>The caller asked too often; wait and retry (429).</summary>
    TooManyRequests,
    /// <summary>The answer is not there yet; retry shortly (503).</summary>
    Unavailable,
    /// <summary>The request is larger than the endpoint takes: its body, its target or its headers (413).</summary>
    TooLarge,
}

/// <summary>Marks an event record with the name and schema version it is stored under.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class StoredEventAttribute(string name) : Attribute
{
    public string Name { get; } = name;
    public int SchemaVersion { get; init; } = 1;
}
