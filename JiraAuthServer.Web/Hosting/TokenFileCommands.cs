using JiraAuthServer.Core.Options;
using JiraAuthServer.Infrastructure;
using JiraAuthServer.Infrastructure.Crypto;
using JiraAuthServer.Infrastructure.Postgres;
using JiraAuthServer.Infrastructure.Storage;

namespace JiraAuthServer.Web.Hosting;

/// <summary>
/// <c>import-file [path]</c> copies a token file into the PostgreSQL at <c>DATABASE_URL</c>; <c>export-file [path]</c>
/// writes that database back into a token file. The path defaults to <c>TOKENS_FILE</c>. Either works whatever
/// <c>TOKEN_STORE</c> says, so an operator can move in both directions.
/// </summary>
public static class TokenFileCommands
{
    private const int ListedUsers = 100;

    public static Task<int> ImportAsync(string? path) => RunAsync(path, async (configuration, database, file) =>
    {
        if (!File.Exists(file))
        {
            throw new StartupException($"Token file '{file}' does not exist: nothing to import.");
        }

        var cipher = FernetTokenCipher.FromEncryptionKey(configuration[SettingNames.EncryptionKey], TimeProvider.System);
        // Opening it as the file store does takes its lock (no file server may be writing it meanwhile) and checks
        // that ENCRYPTION_KEY opens its tokens, so the database does not receive grants this server cannot read.
        await using var source = JsonFileTokenRepository.Open(file, cipher);
        var grants = await source.ListAsync(CancellationToken.None);
        var result = await TokenFileImport.ImportAsync(database, grants, CancellationToken.None);
        Console.WriteLine(
            $"Imported {file} ({grants.Count} grants) into {database.Description}: {result.Inserted} inserted, {result.Updated} updated, " +
            $"{result.SkippedNewer.Count} skipped because the database record is newer, {result.Unchanged} unchanged.");
        if (result.SkippedNewer.Count > 0)
        {
            Console.WriteLine($"Kept the newer database record of users {Listed(result.SkippedNewer)}.");
        }

        if (source.UnreadableUserIds.Count > 0)
        {
            Console.WriteLine($"{source.UnreadableUserIds.Count} grants do not open with ENCRYPTION_KEY and were copied as they are: users {Listed(source.UnreadableUserIds)}.");
        }

        return 0;
    });

    public static Task<int> ExportAsync(string? path) => RunAsync(path, async (_, database, file) =>
    {
        var count = await TokenFileExport.WriteAsync(new PostgresTokenRepository(database), file, CancellationToken.None);
        Console.WriteLine($"Wrote {count} grants from {database.Description} to {file}.");
        return 0;
    });

    private static async Task<int> RunAsync(string? path, Func<IConfiguration, PostgresDatabase, string, Task<int>> command)
    {
        var builder = WebApplication.CreateBuilder();
        builder.AddServerConfiguration();
        await using var app = builder.Build();
        var configuration = app.Configuration;
        try
        {
            var file = string.IsNullOrWhiteSpace(path) ? DependencyInjection.TokensFilePath(configuration) : Path.GetFullPath(path);
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<PostgresDatabase>();
            await using var database = PostgresServiceCollectionExtensions.OpenDatabase(configuration, logger);
            return await command(configuration, database, file);
        }
        catch (Exception exception) when (StartupGuard.IsStartupProblem(exception) || exception is Core.Storage.TokenStoreException)
        {
            await StartupGuard.ReportAsync(exception);
            return 1;
        }
    }

    private static string Listed(IEnumerable<long> userIds)
    {
        var ids = userIds.ToList();
        var shown = string.Join(", ", ids.Take(ListedUsers));
        return ids.Count > ListedUsers ? $"{shown} and {ids.Count - ListedUsers} more" : shown;
    }
}
