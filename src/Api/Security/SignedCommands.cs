using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Common;
using AssetLedger.Ledger.Canonical;
using AssetLedger.Ledger.Signatures;
using AssetLedger.Api.Problems;
using P = AssetLedger.Api.Problems.Problems;

namespace AssetLedger.Api.Security;

/// <summary>
/// Non-repudiation for asset commands. A participant that registered an ECDSA P-256 key must sign every asset
/// command: the <c>Signature</c> header carries base64 of an ES256 signature (r‖s, or DER) over the RFC 8785 canonical
/// JSON <see cref="SignedPayload"/> of format 2, which binds the method, path, body and Idempotency-Key to one asset, the
/// version the command expects and a time, given in <c>Signature-Input: asset=&lt;id&gt;; version=&lt;n&gt;; signed-at=&lt;RFC 3339&gt;</c>.
/// A signature older or newer than <see cref="SignatureLimits.MaxSkew"/> is stale; the signed version is the command's
/// If-Match; a registration creates the signed asset id; the event store claims each signed payload once, so it is
/// never a second command. A verified signature is kept in the events' metadata with the exact payload signed.
/// </summary>
public sealed class SignedCommands(RequestDelegate next)
{
    public const string Header = "Signature";
    public const string InputHeader = "Signature-Input";
    public const string ItemKey = "assetledger.signature";
    public const string AssetItem = "assetledger.signed-asset";
    public const string VersionItem = "assetledger.signed-version";
    static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task InvokeAsync(HttpContext http, IParticipantDirectory directory, IClock clock)
    {
        var participant = http.User.FindFirstValue(TokenService.ParticipantClaim);
        if (!HttpMethods.IsPost(http.Request.Method) || participant is null || !http.Request.Path.StartsWithSegments("/api/v1/assets"))
        {
            await next(http);
            return;
        }
        var info = await directory.Find(new ParticipantId(participant), http.RequestAborted);
        var header = http.Request.Headers[Header].ToString();
        if (info?.SigningKeySpki is null)
        {
            if (header.Length > 0)
            {
                await Refuse(http, $"{participant} has no signing key registered; register one at POST /api/v1/participants/{participant}/signing-key or drop the Signature header.");
                return;
            }
            await next(http);
            return;
        }
        if (header.Length == 0)
        {
            await Refuse(http, $"{participant} has registered a signing key (id {info.SigningKeyId}), so its commands must carry a Signature header.");
            return;
        }
        byte[] signature;
        try { signature = Convert.FromBase64String(header.Trim()); }
        catch (FormatException) { await Refuse(http, "The Signature header is not base64."); return; }
        var path = http.Request.Path.Value ?? "";
        var (input, inputError) = SignatureInput.Parse(http.Request.Headers[InputHeader].ToString(), path);
        if (input is null) { await Refuse(http, inputError!); return; }
        var skew = clock.UtcNow - input.SignedAt;
        if (skew.Duration() > SignatureLimits.MaxSkew)
        {
            await P.From(AccessErrors.SignatureStale(input.SignedAtText, SignatureLimits.MaxSkew)).ExecuteAsync(http);
            return;
        }

        http.Request.EnableBuffering();
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8, leaveOpen: true);
        var body = await reader.ReadToEndAsync(http.RequestAborted);
        http.Request.Body.Position = 0;
        string? payload;
        try { payload = SignedPayload.Build(path, body, http.Request.Headers["Idempotency-Key"].ToString(), input.Asset.ToString(), input.Version, input.SignedAtText); }
        catch (CanonicalJsonException e)
        {
            await P.From(RequestErrors.Invalid(e.Field ?? "body", $"The body cannot be signed: {e.Message}")).ExecuteAsync(http);
            return;
        }
        if (payload is null) { await Refuse(http, "The body is not JSON, so it cannot be signed; send a JSON body."); return; }

        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(info.SigningKeySpki), out _);
        if (!Verify(key, Encoding.UTF8.GetBytes(payload), signature))
        {
            await Refuse(http, $"The Signature does not verify with {participant}'s key {info.SigningKeyId} over the canonical JSON of asset, body, expected version, Idempotency-Key, method, path, signed time and format (v 2).");
            return;
        }
        http.Items[ItemKey] = JsonSerializer.Serialize(new { alg = CommandSignature.Algorithm, keyId = info.SigningKeyId, payload, signature = Convert.ToBase64String(signature) }, Relaxed);
        http.Items[AssetItem] = input.Asset;
        http.Items[VersionItem] = input.Version;
        await next(http);
    }

    public static bool Verify(ECDsa key, byte[] data, byte[] signature) => CommandSignature.Verify(key, data, signature);

    public static ECDsa? ParsePublicKey(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var key = ECDsa.Create();
        try
        {
            if (text.Contains("-----BEGIN", StringComparison.Ordinal)) key.ImportFromPem(text);
            else key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(text.Trim()), out _);
            if (key.KeySize != 256 || key.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value) { key.Dispose(); return null; }
            return key;
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException) { key.Dispose(); return null; }
    }

    /// <summary>First 16 hex digits of SHA-256 of the key's SubjectPublicKeyInfo.</summary>
    public static string KeyIdOf(ECDsa key) => CommandSignature.KeyIdOf(key);

    static Task Refuse(HttpContext http, string detail) => P.From(AccessErrors.SignatureInvalid(detail)).ExecuteAsync(http);
}
