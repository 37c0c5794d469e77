using JiraAuthServer.Core.Authorization;
using JiraAuthServer.Core.Crypto;
using JiraAuthServer.Core.Options;
using JiraAuthServer.Core.Storage;
using JiraAuthServer.Infrastructure.Atlassian;
using JiraAuthServer.Infrastructure.Crypto;
using JiraAuthServer.Infrastructure.Postgres;
using JiraAuthServer.Infrastructure.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JiraAuthServer.Infrastructure;

public static class DependencyInjection
{
    public const string DefaultTokensFile = "user_tokens.json";

    /// <summary>The Fernet key ring, the token file, pending states and the Atlassian client.</summary>
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ITokenCipher>(provider =>
            FernetTokenCipher.FromEncryptionKey(configuration[SettingNames.EncryptionKey], provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ITokenRepository>(provider => JsonFileTokenRepository.Open(
            TokensFilePath(configuration),
            provider.GetRequiredService<ITokenCipher>(),
            provider.GetRequiredService<ILogger<JsonFileTokenRepository>>()));
        services.AddSingleton<IAuthStateStore, InMemoryAuthStateStore>();
        services.AddAtlassianClient();
        if (TokenStoreSetting.IsPostgres(configuration))
        {
            services.AddPostgresStore(configuration);
        }

        return services;
    }

    public static string TokensFilePath(IConfiguration configuration) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(configuration[SettingNames.TokensFile]) ? DefaultTokensFile : configuration[SettingNames.TokensFile]!.Trim());
}
