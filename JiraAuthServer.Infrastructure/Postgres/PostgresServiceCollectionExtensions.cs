using JiraAuthServer.Core.Authorization;
using JiraAuthServer.Core.Crypto;
using JiraAuthServer.Core.KeepAlive;
using JiraAuthServer.Core.Options;
using JiraAuthServer.Core.Storage;
using JiraAuthServer.Core.Tokens;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace JiraAuthServer.Infrastructure.Postgres;

public static class PostgresServiceCollectionExtensions
{
    /// <summary>
    /// Puts everything several server processes must share in PostgreSQL, in place of the file store's registrations:
    /// grants, pending states, the per-user refresh lock and the keep-alive pass lock.
    /// </summary>
    public static IServiceCollection AddPostgresStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(provider => OpenDatabase(configuration, provider.GetRequiredService<ILogger<PostgresDatabase>>()));
        services.Replace(ServiceDescriptor.Singleton<ITokenRepository>(provider =>
        {
            var database = provider.GetRequiredService<PostgresDatabase>();
            PostgresKeyCheck.Verify(database, provider.GetRequiredService<ITokenCipher>(), provider.GetRequiredService<ILogger<PostgresTokenRepository>>());
            return new PostgresTokenRepository(database);
        }));
        services.Replace(ServiceDescriptor.Singleton<IAuthStateStore, PostgresAuthStateStore>());
        services.Replace(ServiceDescriptor.Singleton<IGrantRefreshLock, PostgresGrantRefreshLock>());
        services.Replace(ServiceDescriptor.Singleton<IKeepAliveGate, PostgresKeepAlivePassLock>());
        return services;
    }

    /// <exception cref="DatabaseStartupException"><c>DATABASE_URL</c> is unusable, or the database cannot be reached.</exception>
    public static PostgresDatabase OpenDatabase(IConfiguration configuration, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return DatabaseUrl.TryParse(configuration[SettingNames.DatabaseUrl], out var settings, out var problem)
            ? PostgresDatabase.Open(settings, logger)
            : throw new DatabaseStartupException($"{SettingNames.DatabaseUrl} {problem}");
    }
}
