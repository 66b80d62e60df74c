using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AssetLedger.Api.Security;

/// <summary>
/// Access tokens whose signature, issuer, audience and algorithm were checked once, kept by the SHA-256 of the token until
/// the token expires, so that a client's next requests skip the ES256 verification (the largest fixed cost of an
/// authenticated request, issue 21).
/// <para>
/// What stays exact: a token's expiry is compared with the time again on every request (the lifetime rule and clock skew of
/// <see cref="TokenService.Validation"/>), and is refused with the same <see cref="SecurityTokenExpiredException"/> the full
/// check gives; the session (user, participant, roles, session version) is not cached here at all: <see cref="Sessions.Refresh"/>
/// runs on every request, after this, so a reset, a disable, a revocation or a suspension ends a cached token at once, on
/// every instance. What a token's signature proves never changes, and the parameters are one scheme's, fixed for the
/// process. A token that fails is never kept: it goes through the full check each time.
/// </para>
/// <para>
/// At most <see cref="Capacity"/> tokens are kept (<c>AssetLedger:ValidatedTokens:Capacity</c>, default
/// <see cref="DefaultCapacity"/>; 0 keeps none); past that, a token is checked in full, as a new one is.
/// </para>
/// </summary>
public sealed class ValidatedTokens : TokenHandler, IDisposable
{
    /// <summary>Tokens kept when the configuration says nothing: 15-minute tokens of a few thousand active users.</summary>
    public const int DefaultCapacity = 20_000;

    readonly JsonWebTokenHandler _inner;
    readonly MemoryCache? _kept;
    readonly TimeProvider _time;

    sealed record Kept(ClaimsIdentity Identity, SecurityToken Token, DateTime Expires);

    public ValidatedTokens(JsonWebTokenHandler inner, int capacity = DefaultCapacity, TimeProvider? time = null)
    {
        _inner = inner;
        Capacity = Math.Max(0, capacity);
        _kept = Capacity > 0 ? new MemoryCache(new MemoryCacheOptions { SizeLimit = Capacity }) : null;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Most tokens kept at once.</summary>
    public int Capacity { get; }

    /// <summary>Tokens kept now.</summary>
    public int Count => _kept?.Count ?? 0;

    public override SecurityToken ReadToken(string token) => _inner.ReadToken(token);

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters parameters)
    {
        if (_kept is null || token.Length > _inner.MaximumTokenSizeInBytes) return await _inner.ValidateTokenAsync(token, parameters);
        var key = KeyOf(token);
        if (_kept.TryGetValue(key, out Kept? kept) && kept is not null)
        {
            // The lifetime rule of the full check (Validators.ValidateLifetime): expired once the expiry is more than the skew ago.
            if (kept.Expires >= _time.GetUtcNow().UtcDateTime - parameters.ClockSkew)
                return new TokenValidationResult { IsValid = true, ClaimsIdentity = kept.Identity.Clone(), SecurityToken = kept.Token };
            _kept.Remove(key);
            return new TokenValidationResult
            {
                IsValid = false,
                Exception = new SecurityTokenExpiredException($"The token expired at {kept.Expires:O}.") { Expires = kept.Expires },
            };
        }
        var result = await _inner.ValidateTokenAsync(token, parameters);
        if (result.IsValid && result.SecurityToken is { } valid && valid.ValidTo != DateTime.MinValue && result.ClaimsIdentity is { } identity)
            _kept.Set(key, new Kept(identity.Clone(), valid, valid.ValidTo),
                new MemoryCacheEntryOptions { Size = 1, AbsoluteExpiration = new DateTimeOffset(valid.ValidTo, TimeSpan.Zero) + parameters.ClockSkew });
        return result;
    }

    static string KeyOf(string token)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var bytes = Encoding.UTF8.GetByteCount(token) <= 4096 ? stackalloc byte[4096] : new byte[Encoding.UTF8.GetByteCount(token)];
        var n = Encoding.UTF8.GetBytes(token, bytes);
        SHA256.HashData(bytes[..n], hash);
        return Convert.ToBase64String(hash);
    }

    public void Dispose() => _kept?.Dispose();
}
