using AssetLedger.Application.Ports;
using Microsoft.Extensions.DependencyInjection;

namespace AssetLedger.Infrastructure.Security;

public static class SecurityServiceCollectionExtensions
{
    /// <summary>Password hashing, credentials and sessions the user and participant handlers need (any host that runs the Application's handlers).</summary>
    public static IServiceCollection AddCredentials(this IServiceCollection services) => services
        .AddSingleton<IPasswordHasher, IdentityPasswordHasher>()
        .AddSingleton<ICredentialStore, PostgresCredentialStore>()
        .AddSingleton<ILoginThrottle, PostgresLoginThrottle>()
        .AddSingleton<IRefreshTokens, RefreshTokenStore>()
        .AddSingleton<IUserDirectory, PostgresUserDirectory>()
        .AddSingleton<IApplicationThrottle, PostgresApplicationThrottle>();
}
