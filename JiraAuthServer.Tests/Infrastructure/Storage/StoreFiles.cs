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

    public static JsonFileTokenRepository Open(string path, ITokenCipher? cipher = null) =>
        JsonFileTokenRepository.Open(path, cipher ?? new PrefixTestCipher());

    public static string Sha256(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>The file as JSON, timestamps left as the text they are.</summary>
    public static JObject ReadJson(string path)
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
