using System.CommandLine;
using JiraAuthServer.Core.Crypto;
using JiraAuthServer.Core.Storage;
using JiraAuthServer.Infrastructure.Crypto;

namespace JiraAuthServer.Web.Hosting;

/// <summary>
/// <c>generate-key</c> and <c>rotate-keys</c>, run instead of the server (<see cref="TokenFileCommands"/> has the other two).
/// </summary>
public static class MaintenanceCommands
{
    public const string RotateKeysName = "rotate-keys";

    public static Command GenerateKey()
    {
        var command = new Command("generate-key", "Prints a new random Fernet key for ENCRYPTION_KEY (no Python needed). Reads no setting.");
        command.SetAction(_ =>
        {
            Console.WriteLine(FernetKey.Generate().Encode());
            return 0;
        });
        return command;
    }

    public static Command RotateKeys()
    {
        var command = new Command(
            RotateKeysName,
            "Re-encrypts every stored grant under the first key of ENCRYPTION_KEY, so the other keys can then be removed. "
            + "With the file store, stop the server first; with PostgreSQL, servers may keep running. Progress goes to stderr. "
            + CommandSettings.Describe(CommandSettings.RotateKeys));
        command.SetAction((_, cancellationToken) => CommandHost.RunAsync(RotateKeysName, CommandSettings.RotateKeys, withStore: true, app => RotateKeysAsync(app.Services, cancellationToken)));
        return command;
    }

    private static async Task<int> RotateKeysAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var cipher = (FernetTokenCipher)services.GetRequiredService<ITokenCipher>();
        var repository = services.GetRequiredService<ITokenRepository>();
        var progress = new CommandProgress(RotateKeysName, Console.Error);
        var rotation = await KeyRotation.RotateAsync(repository, cipher, progress, cancellationToken);
        progress.WriteSummary("read and re-encrypted where needed");
        Console.WriteLine($"Re-encrypted {rotation.Rewritten} of {rotation.Total} grants under the first key ({rotation.AlreadyCurrent} already were).");
        if (rotation.Unreadable.Count > 0)
        {
            Console.WriteLine($"{rotation.Unreadable.Count} grants open with no configured key and were left untouched: users {string.Join(", ", rotation.Unreadable)}.");
            return 1;
        }

        Console.WriteLine("Every grant now opens with the first key alone: the other keys can be removed from ENCRYPTION_KEY.");
        return 0;
    }
}
