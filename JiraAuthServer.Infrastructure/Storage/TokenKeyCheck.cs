using System.Collections.Concurrent;
using JiraAuthServer.Core.Crypto;

namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>
/// Tries the configured keys on every stored access token at start, so a wrong ENCRYPTION_KEY stops the server instead
/// of logging every user out, and a single record that no key opens is reported at once.
/// </summary>
internal static class TokenKeyCheck
{
    /// <returns>The users whose access token no configured key opens, in ascending order.</returns>
    /// <exception cref="TokenStoreLoadException">There are records and the keys open none of them.</exception>
    public static long[] FindUnreadable(string path, IReadOnlyList<KeyValuePair<long, StoredEntry>> records, ITokenCipher cipher)
    {
        var unreadable = new ConcurrentBag<long>();
        Parallel.For(0, records.Count, index =>
        {
            var (userId, entry) = records[index];
            if (!cipher.CanDecrypt(entry.Grant.SealedAccessToken))
            {
                unreadable.Add(userId);
            }
        });

        if (records.Count > 0 && unreadable.Count == records.Count)
        {
            throw new TokenStoreLoadException(
                $"Token file '{path}': the configured ENCRYPTION_KEY does not open any of its {records.Count} stored tokens. " +
                "Configure the key the tokens were written with. The file was left unchanged.");
        }

        var result = unreadable.ToArray();
        Array.Sort(result);
        return result;
    }
}
