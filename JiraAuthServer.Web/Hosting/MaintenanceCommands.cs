using JiraAuthServer.Core.Storage;
using JiraAuthServer.Infrastructure;
using JiraAuthServer.Infrastructure.Crypto;
using JiraAuthServer.Infrastructure.Postgres;

namespace JiraAuthServer.Web.Hosting;

/// <summary>
/// Operator commands run instead of the server: <c>generate-key</c>, <c>rotate-keys</c>, and <c>import-file</c> /
/// <c>export-file</c> between a token file and PostgreSQL. They read the same
/// settings (<c>.env</c> and environment) as the server.
/// </summary>
public static class MaintenanceCommands
{
    public static async Task<int?> TryRunAsync(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "generate-key":
                Console.WriteLine(FernetKey.Generate().Encode());
                return 0;
            case "rotate-keys":
                return await RunWithStoreAsync(RotateKeysAsync);
            case "import-file":
                return await TokenFileCommands.ImportAsync(args.ElementAtOrDefault(1));
            case "export-file":
                return await TokenFileCommands.ExportAsync(args.ElementAtOrDefault(1));
            default:
                return null;
        }
    }

    private static async Task<int> RunWithStoreAsync(Func<IServiceProvider, Task<int>> command)
    {
        var builder = WebApplication.CreateBuilder();
        builder.AddServerConfiguration();
        builder.Services.AddServerSettings(builder.Configuration);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddInfrastructure(builder.Configuration);
        await using var app = builder.Build();
        try
        {
            StartupGuard.OpenStoresEagerly(app.Services);
            return await command(app.Services);
        }
        catch (Exception exception) when (StartupGuard.IsStartupProblem(exception))
        {
            await StartupGuard.ReportAsync(exception);
            return 1;
        }
    }

    private static async Task<int> RotateKeysAsync(IServiceProvider services)
    {
        var cipher = (FernetTokenCipher)services.GetRequiredService<Core.Crypto.ITokenCipher>();
        var repository = services.GetRequiredService<ITokenRepository>();
        var rotation = await KeyRotation.RotateAsync(repository, cipher, CancellationToken.None);
        Console.WriteLine($"Re-encrypted {rotation.Rewritten} of {rotation.Total} grants under the first key ({rotation.AlreadyCurrent} already were).");
        if (rotation.Unreadable.Count > 0)
        {
            Console.WriteLine($"{rotation.Unreadable.Count} grants open with no configured key and were left untouched: users {string.Join(", ", rotation.Unreadable)}.");
            return 2;
        }

        Console.WriteLine("Every grant now opens with the first key alone: the other keys can be removed from ENCRYPTION_KEY.");
        return 0;
    }
}
