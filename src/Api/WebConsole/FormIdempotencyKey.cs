using AssetLedger.Api.Idempotency;

namespace AssetLedger.Api.WebConsole;

/// <summary>
/// A browser's form cannot send a header, so every console form carries its Idempotency-Key as the hidden field
/// <see cref="Field"/>, made when the form was drawn; this copies it into the header before
/// <see cref="IdempotencyMiddleware"/>, which then treats a double click (the same form sent twice) as it treats an
/// API client's retry: the first answer again, nothing written twice.
/// </summary>
public sealed class FormIdempotencyKey(RequestDelegate next)
{
    public const string Field = "idempotencyKey";

    public async Task InvokeAsync(HttpContext http)
    {
        if (HttpMethods.IsPost(http.Request.Method) && ConsoleSetup.IsConsole(http.Request.Path) && http.Request.HasFormContentType
            && http.Request.Headers[IdempotencyMiddleware.Header].Count == 0)
        {
            // The body is read again by the idempotency middleware (its hash) and by the page (its fields).
            http.Request.EnableBuffering();
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            http.Request.Body.Position = 0;
            if (form[Field].ToString() is { Length: > 0 } key) http.Request.Headers[IdempotencyMiddleware.Header] = key;
        }
        await next(http);
    }
}
