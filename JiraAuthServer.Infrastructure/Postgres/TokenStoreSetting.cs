using JiraAuthServer.Core.Options;
using Microsoft.Extensions.Configuration;

namespace JiraAuthServer.Infrastructure.Postgres;

/// <summary><c>TOKEN_STORE</c>: <c>file</c> (the default, one process on <c>TOKENS_FILE</c>) or <c>postgres</c> (<c>DATABASE_URL</c>).</summary>
public static class TokenStoreSetting
{
    public const string File = "file";
    public const string Postgres = "postgres";

    public static bool IsPostgres(IConfiguration configuration) =>
        string.Equals(configuration[SettingNames.TokenStore]?.Trim(), Postgres, StringComparison.OrdinalIgnoreCase);

    /// <summary>One line per problem with <c>TOKEN_STORE</c> or <c>DATABASE_URL</c>; never a value of the latter.</summary>
    public static IEnumerable<string> FindErrors(IConfiguration configuration)
    {
        var store = configuration[SettingNames.TokenStore]?.Trim();
        if (!string.IsNullOrEmpty(store) && !IsPostgres(configuration) && !string.Equals(store, File, StringComparison.OrdinalIgnoreCase))
        {
            yield return $"{SettingNames.TokenStore} must be {File} or {Postgres}";
        }

        if (IsPostgres(configuration) && !DatabaseUrl.TryParse(configuration[SettingNames.DatabaseUrl], out _, out var problem))
        {
            yield return $"{SettingNames.DatabaseUrl} {problem}";
        }
    }
}
