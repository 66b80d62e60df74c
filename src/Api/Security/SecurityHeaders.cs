namespace AssetLedger.Api.Security;

/// <summary>
/// Every answer says its content type is final (<c>X-Content-Type-Options: nosniff</c>), and every HTML answer carries a
/// Content-Security-Policy: the page's own when it set one (the timeline page allows its stylesheet by hash), the
/// Swagger UI's (its own scripts and styles, nothing inline-scripted, nothing from elsewhere), and otherwise one that
/// loads nothing at all.
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next)
{
    public const string Strict = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    /// <summary>The console: its own scripts, styles and requests only; nothing inline, forms only to itself.</summary>
    public const string Console = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
    public const string SwaggerUi = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext http)
    {
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            if (http.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true && string.IsNullOrEmpty(headers.ContentSecurityPolicy))
                headers.ContentSecurityPolicy = http.Request.Path.StartsWithSegments("/swagger") ? SwaggerUi
                    : WebConsole.ConsoleSetup.IsConsole(http.Request.Path) ? Console : Strict;
            return Task.CompletedTask;
        });
        return next(http);
    }
}
