using System.Security.Cryptography;
using System.Text;
using JiraAuthServer.Core.Crypto;
using JiraAuthServer.Core.Grants;
using JiraAuthServer.Infrastructure.Storage;
using JiraAuthServer.Tests.Support;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Tests.Infrastructure.Storage;

internal static class StoreFiles
{
    /// <summary>What a healthy store's folder holds: the file and its lock, no temporary files.</summary>
    public static readonly string[] FileAndLock = ["user_tokens.json", "user_tokens.json.lock"];

    /// <summary>What a running store's folder holds before its first compaction: the journal and the lock.</summary>
    public static readonly string[] JournalAndLock = ["user_tokens.json.journal", "user_tokens.json.lock"];

    public static JsonFileTokenRepository Open(string path, ITokenCipher? cipher = null) =>
        JsonFileTokenRepository.Open(path, cipher ?? new PrefixTestCipher());

    public static string Sha256(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>
    /// What the store holds on disk as JSON, timestamps left as the text they are: the snapshot (empty when there is
    /// none yet) with its journals applied in order, read independently of the store's own replay.
    /// </summary>
    public static JObject ReadJson(string path)
    {
        var grants = File.Exists(path) ? ReadSnapshotJson(path) : [];
        var journals = Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + ".journal*")
            .Where(file => file == path + ".journal" || Path.GetFileName(file)[(Path.GetFileName(path).Length + ".journal.".Length)..].All(char.IsAsciiDigit))
            .OrderBy(file => file == path + ".journal" ? int.MaxValue : int.Parse(file[(path.Length + ".journal.".Length)..], System.Globalization.CultureInfo.InvariantCulture));
        foreach (var journal in journals)
        {
            foreach (var line in File.ReadAllLines(journal))
            {
                using var reader = new JsonTextReader(new StringReader(line)) { DateParseHandling = DateParseHandling.None };
                var change = JObject.Load(reader);
                var user = change.Value<long>("user").ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (change.Value<string>("op") == "delete")
                {
                    grants.Remove(user);
                }
                else
                {
                    grants[user] = change["record"];
                }
            }
        }

        return grants;
    }

    /// <summary>The snapshot file alone as JSON, timestamps left as the text they are.</summary>
    public static JObject ReadSnapshotJson(string path)
    {
        using var reader = new JsonTextReader(new StreamReader(path)) { DateParseHandling = DateParseHandling.None };
        return JObject.Load(reader);
    }

    public static async Task<Dictionary<long, string>> SnapshotAsync(JsonFileTokenRepository repository)
    {
        var grants = await repository.ListAsync(CancellationToken.None);
        return grants.ToDictionary(pair => pair.Key, pair => Describe(pair.Key, pair.Value));
    }

    /// <summary>A grant as comparable text: every field, unknown ones included, to the microsecond.</summary>
    public static string Describe(long userId, StoredGrant grant) => Encoding.UTF8.GetString(GrantJsonMapper.SerializeEntry(userId, grant));
}
