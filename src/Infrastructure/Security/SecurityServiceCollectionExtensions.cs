using AssetLedger.Application.Ports;
using Microsoft.Extensions.DependencyInjection;

namespace AssetLedger.Infrastructure.Security;

public static class SecurityServiceCollectionExtensions
{
    /// <summary>Password hashing and the credential store the user handlers need (any host that runs the Application's handlers).</summary>
    public static IServiceCollection AddCredentials(this IServiceCollection services) => services
        .AddSingleton<IPasswordHasher, IdentityPasswordHasher>()
        .AddSingleton<ICredentialStore, PostgresCredentialStore>()
        .AddSingleton<ILoginThrottle, PostgresLoginThrottle>();
}
