using System.CommandLine;
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
    private const string ImportName = "import-file";
    private const string ExportName = "export-file";

    public static Command Import()
    {
        var path = PathArgument("The token file to read");
        var command = new Command(
            ImportName,
            "Copies a token file (the old server's or this one's) into the PostgreSQL at DATABASE_URL, whatever TOKEN_STORE says: "
            + "new users are inserted, older database records replaced, newer ones kept; repeating it changes nothing. "
            + "No file server may be running on the file. Progress goes to stderr. " + CommandSettings.Describe(CommandSettings.ImportFile))
        {
            path,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(ImportName, CommandSettings.ImportFile, parse.GetValue(path), (configuration, database, file) => ImportAsync(configuration, database, file, cancellationToken)));
        return command;
    }

    public static Command Export()
    {
        var path = PathArgument("The token file to write (replaced atomically)");
        var command = new Command(
            ExportName,
            "Writes every grant of the PostgreSQL at DATABASE_URL into a token file in the old server's format, whatever TOKEN_STORE says. "
            + "The tokens stay encrypted as they are, so no key is needed. Progress goes to stderr. " + CommandSettings.Describe(CommandSettings.ExportFile))
        {
            path,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(ExportName, CommandSettings.ExportFile, parse.GetValue(path), (_, database, file) => ExportAsync(database, file, cancellationToken)));
        return command;
    }

    private static Argument<string?> PathArgument(string what) => new("path")
    {
        Description = $"{what}; TOKENS_FILE (default user_tokens.json in the working folder) when left out",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private static async Task<int> ImportAsync(IConfiguration configuration, PostgresDatabase database, string file, CancellationToken cancellationToken)
    {
        if (!File.Exists(file))
        {
            throw new StartupException($"Token file '{file}' does not exist: nothing to import.");
        }

        var cipher = FernetTokenCipher.FromEncryptionKey(configuration[SettingNames.EncryptionKey], TimeProvider.System);
        // Opening it as the file store does takes its lock (no file server may be writing it meanwhile) and checks
        // that ENCRYPTION_KEY opens its tokens, so the database does not receive grants this server cannot read.
        await using var source = JsonFileTokenRepository.Open(file, cipher);
        var grants = await source.ListAsync(cancellationToken);
        var progress = new CommandProgress(ImportName, Console.Error);
        var result = await TokenFileImport.ImportAsync(database, grants, progress, cancellationToken);
        progress.WriteSummary("inserted or updated");
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
    }

    private static async Task<int> ExportAsync(PostgresDatabase database, string file, CancellationToken cancellationToken)
    {
        var progress = new CommandProgress(ExportName, Console.Error);
        var count = await TokenFileExport.WriteAsync(new PostgresTokenRepository(database), file, progress, cancellationToken);
        progress.WriteSummary("written");
        Console.WriteLine($"Wrote {count} grants from {database.Description} to {file}.");
        return 0;
    }

    private static Task<int> RunAsync(string command, IReadOnlyList<string> settings, string? path, Func<IConfiguration, PostgresDatabase, string, Task<int>> run) =>
        CommandHost.RunAsync(command, settings, withStore: false, async app =>
        {
            var configuration = app.Configuration;
            var file = string.IsNullOrWhiteSpace(path) ? DependencyInjection.TokensFilePath(configuration) : Path.GetFullPath(path);
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<PostgresDatabase>();
            await using var database = PostgresServiceCollectionExtensions.OpenDatabase(configuration, logger);
            return await run(configuration, database, file);
        });

    private static string Listed(IEnumerable<long> userIds)
    {
        var ids = userIds.ToList();
        var shown = string.Join(", ", ids.Take(ListedUsers));
        return ids.Count > ListedUsers ? $"{shown} and {ids.Count - ListedUsers} more" : shown;
    }
}
