using System.Security.Claims;
using System.Text;
using System.Text.Json;
using AssetLedger.Application.Integrations;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Integrations;
using P = AssetLedger.Api.Problems.Problems;

namespace AssetLedger.Api.Security;

/// <summary>
/// Who sends an inbound notice: no token, but the Standard Webhooks signature of the participant its body names
/// (<see cref="NoticeSignature"/>). A verified notice goes on as a request of that participant, with the roles it holds
/// now, and its <c>webhook-id</c> as its idempotency key (<see cref="IdItem"/>): a replay with the same body gets the
/// first answer, one with another body a 409, and the command runs once. Anything else about the notice is refused with
/// 401 before the body is bound, and changes nothing.
/// </summary>
public sealed class SignedNotices(RequestDelegate next)
{
    /// <summary>Marks the endpoint that takes signed notices.</summary>
    public sealed class Metadata;

    /// <summary>The verified notice's webhook-id, in HttpContext.Items.</summary>
    public const string IdItem = "assetledger.notice-id";

    public async Task InvokeAsync(HttpContext http, INoticeCredentials credentials, IParticipantDirectory directory, IClock clock)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<Metadata>() is null)
        {
            await next(http);
            return;
        }
        // A bearer token says nothing here: only the notice's signature names its sender.
        http.User = new ClaimsPrincipal(new ClaimsIdentity());
        http.Request.EnableBuffering();
        string body;
        using (var reader = new StreamReader(http.Request.Body, Encoding.UTF8, false, 8192, leaveOpen: true))
            body = await reader.ReadToEndAsync(http.RequestAborted);
        http.Request.Body.Position = 0;
        if (ParticipantOf(body) is not { } participant)
        {
            await P.From(NoticeRules.Unattributed).ExecuteAsync(http);
            return;
        }
        var h = http.Request.Headers;
        var id = h["webhook-id"].ToString();
        var info = await directory.Find(participant, http.RequestAborted);
        // An unknown participant reads as one without credentials: the answer does not tell which participants exist.
        var registered = info is null ? null : await credentials.Find(participant.Value, http.RequestAborted);
        if (NoticeSignature.Check(registered, info?.SigningKeySpki is not null, id, h["webhook-timestamp"].ToString(), body,
                h["webhook-signature"].ToString(), clock.UtcNow) is { } refused)
        {
            await P.From(refused).ExecuteAsync(http);
            return;
        }
        var claims = new List<Claim> { new("sub", $"notice:{participant.Value}"), new(TokenService.ParticipantClaim, participant.Value) };
        claims.AddRange(info!.Roles.Where(r => r != Role.System).Select(r => new Claim("role", r.ToString())));
        if (!info.Verified) claims.Add(new Claim(TokenService.UnverifiedClaim, "true"));
        http.User = new ClaimsPrincipal(new ClaimsIdentity(claims, "StandardWebhooks", "sub", "role"));
        http.Items[IdItem] = id;
        await next(http);
    }

    /// <summary>The participant the body's <c>participant</c> names, if the body is a JSON object that names a well-formed one.</summary>
    static ParticipantId? ParticipantOf(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("participant", out var p) &&
                p.ValueKind == JsonValueKind.String && ParticipantId.IsWellFormed(p.GetString()) ? new ParticipantId(p.GetString()!) : null;
        }
        catch (JsonException) { return null; }
    }
}
