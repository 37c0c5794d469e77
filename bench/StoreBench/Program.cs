using System.Diagnostics;
using System.Globalization;
using System.Text;
using JiraAuthServer.Core.Grants;
using JiraAuthServer.Infrastructure.Storage;
using JiraAuthServer.Infrastructure.Storage.Journal;
using Newtonsoft.Json;
using JiraAuthServer.Infrastructure.Crypto;

// Usage: StoreBench [users=100000] [concurrentUsers=10000] [accessTokenBytes=1500] [refreshTokenBytes=700]
var users = ArgOr(0, 100_000);
var concurrentUsers = ArgOr(1, 10_000);
var accessBytes = ArgOr(2, 1500);
var refreshBytes = ArgOr(3, 700);
var folder = Directory.CreateTempSubdirectory("store-bench-").FullName;
var cipher = FernetTokenCipher.FromEncryptionKey(FernetKey.Generate().Encode());
var none = CancellationToken.None;
try
{
    Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}; plaintext tokens {accessBytes} + {refreshBytes} bytes; folder {folder}");

    var bigFile = Path.Combine(folder, "big.json");
    var size = WriteFile(bigFile, users);
    Console.WriteLine($"file of {users:N0} users: {size / 1e6:F0} MB");

    var loads = new List<double>();
    for (var run = 0; run < 5; run++)
    {
        loads.Add(TimeOpen(bigFile));
        GC.Collect();
    }

    Console.WriteLine($"load (parse + validate + templates + decrypt-check all) at {users:N0}: first (cold process) {loads[0]:F0} ms, then {Summary(loads[1..])}");

    var parse = Stopwatch.GetTimestamp();
    var records = TokenFileLoader.Load(bigFile);
    var parsed = Stopwatch.GetElapsedTime(parse);
    TokenKeyCheck.FindUnreadable(bigFile, records, cipher);
    Console.WriteLine($"  of which: parse + validate + templates {parsed.TotalMilliseconds:F0} ms, decrypt-check of all {records.Count:N0} access tokens {(Stopwatch.GetElapsedTime(parse) - parsed).TotalMilliseconds:F0} ms");
    records = null;
    GC.Collect();

    foreach (var threshold in new long?[] { null, 512L << 10 })
    {
        await SteadyChangesAsync(bigFile, threshold);
    }

    await using (var store = JsonFileTokenRepository.Open(bigFile, cipher))
    {
        Console.WriteLine($"managed heap after load: {GC.GetTotalMemory(forceFullCollection: true) / 1e6:F0} MB");
        CompareCachedLinesWithSerializing(store);
    }

    var smallFile = Path.Combine(folder, "small.json");
    WriteFile(smallFile, concurrentUsers);
    await using (var store = JsonFileTokenRepository.Open(smallFile, cipher))
    {
        var grants = Enumerable.Range(0, 500).Select(NewGrant).ToArray();
        var writesBefore = store.WriteCount;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, 500).Select(i => Task.Run(() => store.SaveAsync(i % 2 == 0 ? 1 + i : concurrentUsers + 1 + i, grants[i], none))));
        var elapsed = Stopwatch.GetElapsedTime(started);
        Console.WriteLine($"500 concurrent saves at {concurrentUsers:N0} users: {elapsed.TotalMilliseconds:F0} ms, {500 / elapsed.TotalSeconds:F0} grants/s, {store.WriteCount - writesBefore} file writes");
    }
}
finally
{
    Directory.Delete(folder, recursive: true);
}

// 20 changes a second for 30 s, as refreshing /auth/token calls make them: latency, bytes the process wrote per
// change (from /proc/self/io, so compactions count), compactions, then the start-up of a copy of the files taken
// while the journal was full (what a SIGKILL leaves).
async Task SteadyChangesAsync(string path, long? threshold)
{
    var copy = Path.Combine(folder, "crashed.json");
    await using (var store = JsonFileTokenRepository.Open(path, cipher, compactionThreshold: threshold))
    {
        var latencies = new List<double>();
        var writtenBefore = WriteBytes();
        var started = Stopwatch.GetTimestamp();
        const int changes = 600;
        var pending = new List<Task>();
        for (var i = 0; i < changes; i++)
        {
            var due = TimeSpan.FromSeconds(i / 20.0) - Stopwatch.GetElapsedTime(started);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }

            var grant = NewGrant(i);
            var user = 1 + (i * 7919 % users);
            pending.Add(Task.Run(async () =>
            {
                var begun = Stopwatch.GetTimestamp();
                await store.SaveAsync(user, grant, none);
                lock (latencies)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(begun).TotalMilliseconds);
                }
            }));
        }

        await Task.WhenAll(pending);
        var written = WriteBytes() - writtenBefore;
        latencies.Sort();
        Console.WriteLine(
            $"steady changes at {users:N0} users, threshold {(threshold is { } t ? $"{t / 1024} KB" : "default")}: 20/s for 30 s, p50 {latencies[latencies.Count / 2]:F1} ms, " +
            $"p99 {latencies[(int)(latencies.Count * 0.99)]:F1} ms, {written / changes / 1024.0:F1} KB written per change, {store.CompactionCount} compactions");
        // Fill the journal to just below the threshold, so the copy is what a SIGKILL leaves at its worst.
        var full = (threshold ?? JournalCompaction.LargestThreshold) * 9 / 10;
        for (var round = 0; JournalBytes(path) < full && round < 200; round++)
        {
            await Task.WhenAll(Enumerable.Range(0, 500).Select(i => store.SaveAsync(1 + ((round * 500) + i) % users, NewGrant(i), none)));
        }

        foreach (var file in Directory.GetFiles(folder, "big.json*").Where(file => !file.EndsWith(".lock", StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(folder, "crashed" + Path.GetFileName(file)[3..]), overwrite: true);
        }
    }

    var opened = Stopwatch.GetTimestamp();
    await using (var crashed = JsonFileTokenRepository.Open(copy, cipher))
    {
        Console.WriteLine($"  start-up over the files as they were before the stop (journal {JournalBytes(copy) / 1e6:F1} MB): {Stopwatch.GetElapsedTime(opened).TotalMilliseconds:F0} ms, {await crashed.CountAsync(none):N0} grants");
    }
}

long JournalBytes(string path) => Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + ".journal*").Sum(file => new FileInfo(file).Length);

static long WriteBytes() =>
    long.Parse(File.ReadLines("/proc/self/io").First(line => line.StartsWith("write_bytes:", StringComparison.Ordinal))[12..].Trim(), CultureInfo.InvariantCulture);

double TimeOpen(string path)
{
    var started = Stopwatch.GetTimestamp();
    using var store = JsonFileTokenRepository.Open(path, cipher);
    return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}

int ArgOr(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;

string Summary(List<double> milliseconds)
{
    milliseconds.Sort();
    return $"median {milliseconds[milliseconds.Count / 2]:F0} ms (min {milliseconds[0]:F0}, max {milliseconds[^1]:F0}, n={milliseconds.Count})";
}

StoredGrant NewGrant(int seed) => new()
{
    EncryptedAccessToken = cipher.Encrypt(new string((char)('a' + (seed % 26)), accessBytes)),
    EncryptedRefreshToken = cipher.Encrypt(new string('r', refreshBytes)),
    ExpiresAt = DateTimeOffset.UtcNow.AddHours(1),
    Scope = "read:jira-work write:jira-work offline_access",
    CreatedAt = DateTimeOffset.UtcNow,
    UpdatedAt = DateTimeOffset.UtcNow,
    JiraAccountId = "5b10ac8d82e05b22cc7d4ef5",
    JiraEmail = $"user{seed}@example.com",
    JiraCloudId = "11223344-a1b2-3b33-c444-def123456789",
    JiraSiteUrl = "https://example.atlassian.net",
    JiraSiteName = "Example",
};

// A Python-era file: naive timestamps, no site fields.
long WriteFile(string path, int count)
{
    var access = cipher.Encrypt(new string('a', accessBytes));
    var refresh = cipher.Encrypt(new string('r', refreshBytes));
    using (var writer = new JsonTextWriter(new StreamWriter(path, append: false, new UTF8Encoding(false))) { Formatting = Formatting.Indented })
    {
        writer.WriteStartObject();
        for (var user = 1; user <= count; user++)
        {
            writer.WritePropertyName(user.ToString(CultureInfo.InvariantCulture));
            writer.WriteStartObject();
            writer.WritePropertyName("access_token");
            writer.WriteValue(access);
            writer.WritePropertyName("refresh_token");
            writer.WriteValue(refresh);
            writer.WritePropertyName("expires_at");
            writer.WriteValue("2025-03-01T10:20:30.123456");
            writer.WritePropertyName("token_type");
            writer.WriteValue("Bearer");
            writer.WritePropertyName("scope");
            writer.WriteValue("read:jira-work write:jira-work offline_access");
            writer.WritePropertyName("created_at");
            writer.WriteValue("2025-02-01T09:00:00");
            writer.WritePropertyName("updated_at");
            writer.WriteValue("2025-03-01T09:20:30.123456");
            writer.WritePropertyName("jira_account_id");
            writer.WriteValue("5b10ac8d82e05b22cc7d4ef5");
            writer.WritePropertyName("jira_email");
            writer.WriteValue($"user{user}@example.com");
            writer.WritePropertyName("jira_cloud_id");
            writer.WriteValue("11223344-a1b2-3b33-c444-def123456789");
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    return new FileInfo(path).Length;
}

// What the hand-written record writer saves over serializing every grant with Newtonsoft.
static void CompareCachedLinesWithSerializing(JsonFileTokenRepository store)
{
    var grants = store.ListAsync(CancellationToken.None).Result;
    var entries = grants.ToDictionary(pair => pair.Key, pair => GrantJsonMapper.ToEntry(pair.Key, pair.Value));
    var copy = new List<double>();
    var serialize = new List<double>();
    for (var run = 0; run < 3; run++)
    {
        var started = Stopwatch.GetTimestamp();
        TokenFileWriter.Write(Stream.Null, entries);
        copy.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);

        started = Stopwatch.GetTimestamp();
        foreach (var (userId, grant) in grants)
        {
            Stream.Null.Write(GrantJsonMapper.SerializeWithNewtonsoft(userId, grant));
        }

        serialize.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    Console.WriteLine($"building the file content in memory, {grants.Count:N0} records: the file writer {copy.Min():F0} ms vs Newtonsoft serializing every grant {serialize.Min():F0} ms");
}
