using JiraAuthServer.Core.Crypto;
using JiraAuthServer.Core.Grants;
using JiraAuthServer.Core.Options;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace JiraAuthServer.Infrastructure.Postgres;

/// <summary>
/// At start, tries the configured keys on a random sample of the stored grants, as the file store tries them on all:
/// a server started with a mistyped ENCRYPTION_KEY stops with a message instead of answering every user with a key
/// error, and a sample with grants no key opens is reported (a key roll-out not finished on every instance).
/// </summary>
internal static partial class PostgresKeyCheck
{
    public const int SampleSize = 200;

    private static readonly string Sample =
        $"SELECT {Storage.Fields.GrantFields.AccessToken.Name} FROM {PostgresSchema.Grants} ORDER BY random() LIMIT {SampleSize}";

    /// <exception cref="DatabaseStartupException">There are grants and the keys open none of the sample.</exception>
    public static void Verify(PostgresDatabase database, ITokenCipher cipher, ILogger logger)
    {
        var (sampled, unreadable) = database.RunAsync(
            async (connection, token) =>
            {
                await using var command = new NpgsqlCommand(Sample, connection);
                await using var rows = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
                int count = 0, failed = 0;
                while (await rows.ReadAsync(token).ConfigureAwait(false))
                {
                    count++;
                    failed += cipher.CanDecrypt(SealedText.From(rows.GetString(0))) ? 0 : 1;
                }

                return (count, failed);
            },
            retry: true,
            CancellationToken.None).GetAwaiter().GetResult();

        if (sampled > 0 && unreadable == sampled)
        {
            throw new DatabaseStartupException(
                $"{database.Description}: the configured {SettingNames.EncryptionKey} opens none of {sampled} stored grants sampled at random. " +
                "Configure the key the grants were written with (during a key rotation: the new key first, then the old one). Nothing was changed.");
        }

        if (unreadable > 0)
        {
            LogUnreadable(logger, unreadable, sampled, database.Description);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Unreadable} of {Sampled} grants sampled in {Database} do not open with the configured keys; this server answers 503 for them and leaves them as they are")]
    private static partial void LogUnreadable(ILogger logger, int unreadable, int sampled, string database);
}
