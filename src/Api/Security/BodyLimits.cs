using AssetLedger.Api.Problems;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;
using P = AssetLedger.Api.Problems.Problems;

namespace AssetLedger.Api.Security;

/// <summary>
/// How large a request body may be, decided before anything reads it: an anonymous caller (no bearer token, or an
/// endpoint anyone may call) gets 16 KiB, ample for an application or a login; a logged-in one 1 MiB, ample for a
/// network with ten TLS roots. A declared length over the limit is a 413 problem at once; a chunked body that grows
/// past it is cut off by Kestrel while it is read, and answered with the same problem.
/// </summary>
public sealed class BodyLimits(RequestDelegate next)
{
    public const long AnonymousBytes = 16 * 1024;
    public const long AuthenticatedBytes = 1024 * 1024;

    public async Task InvokeAsync(HttpContext http)
    {
        var anonymous = http.Request.Headers.Authorization.Count == 0 || http.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null;
        var limit = anonymous ? AnonymousBytes : AuthenticatedBytes;
        if (http.Request.ContentLength > limit)
        {
            await P.From(RequestErrors.TooLarge).ExecuteAsync(http);
            return;
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = limit;
        await next(http);
    }
}
