using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Security.Cryptography;
using AssetLedger.Api.Security;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 21: an access token's signature is verified once and the token kept until it expires; its expiry is still judged on
/// every request, and a token that fails is never kept. (That a kept token's session still ends at once with a reset, a
/// disable, a revocation or a suspension, on both instances, is <see cref="sessions_end_with_a_reset"/>: its tokens are
/// used on both instances before each change.)
/// </summary>
public sealed class validated_tokens_are_kept_until_they_expire : IDisposable
{
    readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    readonly ECDsaSecurityKey _signing;
    readonly Clock _clock = new();
    readonly Counting _inner = new();

    public validated_tokens_are_kept_until_they_expire() => _signing = new ECDsaSecurityKey(_key) { KeyId = "test" };

    public void Dispose() => _key.Dispose();

    sealed class Clock : TimeProvider
    {
        public TimeSpan Ahead;
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Ahead;
    }

    /// <summary>The real handler, counting the tokens it was asked to check.</summary>
    sealed class Counting : JsonWebTokenHandler
    {
        public int Checks;
        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            Interlocked.Increment(ref Checks);
            return base.ValidateTokenAsync(token, validationParameters);
        }
    }

    TokenValidationParameters Parameters() => new()
    {
        ValidIssuer = JwtKeys.Issuer,
        ValidAudience = JwtKeys.Audience,
        IssuerSigningKey = _signing,
        ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateLifetime = true,
        ClockSkew = TimeSpan.FromSeconds(30),
    };

    string Token(TimeSpan life, ECDsaSecurityKey? key = null) =>
        new JwtSecurityTokenHandler().WriteToken(new JwtSecurityToken(JwtKeys.Issuer, JwtKeys.Audience,
            [new Claim("sub", "owner-a.clerk"), new Claim("participant", "owner-a"), new Claim("sv", "1")],
            DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow + life, new SigningCredentials(key ?? _signing, SecurityAlgorithms.EcdsaSha256)));

    ValidatedTokens Tokens(int capacity = ValidatedTokens.DefaultCapacity) => new(_inner, capacity, _clock);

    [Fact]
    public async Task a_token_is_verified_once_and_then_answered_from_what_was_kept()
    {
        using var tokens = Tokens();
        var token = Token(TimeSpan.FromMinutes(15));

        var first = await tokens.ValidateTokenAsync(token, Parameters());
        var second = await tokens.ValidateTokenAsync(token, Parameters());

        Assert.True(first.IsValid);
        Assert.True(second.IsValid);
        Assert.Equal(1, _inner.Checks);
        Assert.Equal("owner-a.clerk", second.ClaimsIdentity.FindFirst("sub")?.Value);
        Assert.Equal("owner-a", second.ClaimsIdentity.FindFirst("participant")?.Value);
        // Each request gets claims of its own: what one request's principal does is not seen by the next.
        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
    }

    [Fact]
    public async Task a_kept_token_is_refused_as_expired_the_moment_its_expiry_and_the_skew_have_passed()
    {
        using var tokens = Tokens();
        var token = Token(TimeSpan.FromMinutes(5));
        Assert.True((await tokens.ValidateTokenAsync(token, Parameters())).IsValid);

        _clock.Ahead = TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(10); // within its life (and the skew): still good
        Assert.True((await tokens.ValidateTokenAsync(token, Parameters())).IsValid);

        _clock.Ahead = TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(45); // past its expiry by more than the 30 s skew
        var late = await tokens.ValidateTokenAsync(token, Parameters());

        Assert.False(late.IsValid);
        Assert.IsType<SecurityTokenExpiredException>(late.Exception);
        Assert.Equal(1, _inner.Checks);
    }

    [Fact]
    public async Task a_token_that_fails_is_never_kept_and_is_checked_in_full_each_time()
    {
        using var tokens = Tokens();
        using var foreign = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = Token(TimeSpan.FromMinutes(15), new ECDsaSecurityKey(foreign) { KeyId = "test" });

        Assert.False((await tokens.ValidateTokenAsync(forged, Parameters())).IsValid);
        Assert.False((await tokens.ValidateTokenAsync(forged, Parameters())).IsValid);

        Assert.Equal(0, tokens.Count);
        Assert.Equal(2, _inner.Checks);
    }

    [Fact]
    public async Task a_changed_token_is_a_different_token()
    {
        using var tokens = Tokens();
        var token = Token(TimeSpan.FromMinutes(15));
        Assert.True((await tokens.ValidateTokenAsync(token, Parameters())).IsValid);

        var parts = token.Split('.');
        var tampered = $"{parts[0]}.{parts[1]}.{parts[2][..^2]}{(parts[2][^2..] == "AA" ? "AB" : "AA")}";

        Assert.False((await tokens.ValidateTokenAsync(tampered, Parameters())).IsValid);
        Assert.Equal(2, _inner.Checks);
    }

    [Fact]
    public async Task with_no_room_every_token_is_checked_in_full()
    {
        using var tokens = Tokens(capacity: 0);
        var token = Token(TimeSpan.FromMinutes(15));

        Assert.True((await tokens.ValidateTokenAsync(token, Parameters())).IsValid);
        Assert.True((await tokens.ValidateTokenAsync(token, Parameters())).IsValid);

        Assert.Equal(2, _inner.Checks);
    }
}
