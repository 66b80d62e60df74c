using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace AssetLedger.Api.Security;

/// <summary>
/// Outside Development no authentication scheme is configured yet, so every protected endpoint answers 401:
/// the development header is never honoured in production.
/// </summary>
public sealed class NoAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(AuthenticateResult.NoResult());

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Problems.Problems.Create(StatusCodes.Status401Unauthorized, "auth.required",
            "Authentication is required. Outside Development no login is configured yet; run with ASPNETCORE_ENVIRONMENT=Development (scripts/run.sh does).").ExecuteAsync(Context);
}
