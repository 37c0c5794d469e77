using JiraAuthServer.Core.Authorization;
using JiraAuthServer.Core.Crypto;
using JiraAuthServer.Core.KeepAlive;
using JiraAuthServer.Core.Options;
using JiraAuthServer.Core.Storage;
using JiraAuthServer.Infrastructure.Atlassian;
using JiraAuthServer.Infrastructure.Crypto;
using JiraAuthServer.Infrastructure.Notifications;
using JiraAuthServer.Infrastructure.Postgres;
using JiraAuthServer.Infrastructure.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JiraAuthServer.Infrastructure;

public static class DependencyInjection
{
    public const string DefaultTokensFile = "user_tokens.json";

    /// <summary>The Fernet key ring, the token file, pending states, the Atlassian client and the bot webhook.</summary>
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ITokenCipher>(provider =>
            FernetTokenCipher.FromEncryptionKey(configuration[SettingNames.EncryptionKey], provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ITokenRepository>(provider => JsonFileTokenRepository.Open(
            TokensFilePath(configuration),
            provider.GetRequiredService<ITokenCipher>(),
            provider.GetRequiredService<ILogger<JsonFileTokenRepository>>(),
            JournalCompactionSetting.Bytes(configuration)));
        services.AddSingleton<IAuthStateStore>(provider =>
        {
            // Opened after the token store, whose file lock keeps a second process away from this sidecar too.
            _ = provider.GetRequiredService<ITokenRepository>();
            return JsonFileAuthStateStore.Open(
                AuthStatesFilePath(configuration),
                provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<ILogger<JsonFileAuthStateStore>>(),
                compactionThreshold: JournalCompactionSetting.Bytes(configuration));
        });
        services.AddSingleton<IKeepAliveGate, SingleProcessKeepAliveGate>();
        services.AddAtlassianClient();
        services.AddBotWebhook(configuration);
        if (TokenStoreSetting.IsPostgres(configuration))
        {
            services.AddPostgresStore(configuration);
        }

        return services;
    }

    /// <summary>Pending authorization states live beside the token file: <c>&lt;TOKENS_FILE&gt;.states</c>.</summary>
    public static string AuthStatesFilePath(IConfiguration configuration) => TokensFilePath(configuration) + ".states";

    public static string TokensFilePath(IConfiguration configuration) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(configuration[SettingNames.TokensFile]) ? DefaultTokensFile : configuration[SettingNames.TokensFile]!.Trim());
}
