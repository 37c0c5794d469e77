using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using JiraAuthServer.Infrastructure.Crypto;
using JiraAuthServer.Tests.Fakes;
using JiraAuthServer.Tests.Postgres;
using ServerBench;

// Driven by bench/run.sh, which publishes the server, the bare endpoint and this program first.
// "seed <file> <users> <key>" only writes a token file, for profiling by hand.
if (args is ["seed", var seedFile, var seedUsers, var seedKey])
{
    await Seeder.SeedAsync(seedFile, int.Parse(seedUsers, CultureInfo.InvariantCulture), seedKey, accessBytes: 1500, refreshBytes: 700);
    return 0;
}

var options = Options.Parse(args);
const string ApiKey = "bench-internal-api-key-7Qm2";
var encryptionKey = FernetKey.Generate().Encode();
var serverPort = FreePort();
var server = new Uri($"http://127.0.0.1:{serverPort}/");
await using var atlassian = await FakeAtlassianServer.StartAsync();
atlassian.RedirectUri = $"http://127.0.0.1:{serverPort}/auth/callback";
atlassian.ConsentMode = FakeConsentMode.AutoApprove;

// Tokens of Atlassian's sizes (with the fake's 8-character prefix), as the seeded ones: a refresh or a callback
// stores a record as large as a real one.
atlassian.AccessTokenBytes = (1500 - 8) * 3 / 4;
atlassian.RefreshTokenBytes = (700 - 8) * 3 / 4;

Console.WriteLine($"{Environment.ProcessorCount} cores; wrk -t2 -c{options.Connections} -d{options.Seconds}s (after {options.WarmUpSeconds} s warm-up), random users, medians of {options.Rounds} rounds; tokens 1500 + 700 bytes before Fernet");
// One cluster for the whole run (a database per store size), stopped and removed at the end; bench/run.sh does it
// too if this program is killed.
await using var cluster = options.Stores.Contains("postgres")
    ? await PostgresTestCluster.StartAsync(FreePort(), durable: true, folderListFile: options.ClusterFile)
    : null;
if (cluster is not null)
{
    Console.WriteLine($"PostgreSQL on 127.0.0.1:{cluster.Port} (fsync on, synchronous commit on)");
}

var results = new List<SizeResult>();
foreach (var users in options.Throughput ? options.Users : [])
{
    results.AddRange(await MeasureSizeAsync(users));
}

var steady = new List<SteadyRun>();
if (options.SteadyChange)
{
    var environment = atlassian.EnvironmentVariables().ToDictionary(pair => pair.Key, pair => pair.Value);
    environment["ENCRYPTION_KEY"] = encryptionKey;
    environment["INTERNAL_API_KEY"] = ApiKey;
    environment["ASPNETCORE_ENVIRONMENT"] = "Production";
    environment["RATE_LIMIT_CALLBACK"] = "0";
    var context = new SteadyContext(options, atlassian, encryptionKey, server, ApiKey, environment);
    foreach (var users in options.Users)
    {
        steady.AddRange(await SteadyChange.MeasureAsync(context, users));
    }
}

ProxyResult? proxy = null;
if (options.ProxyLatency)
{
    var environment = atlassian.EnvironmentVariables().ToDictionary(pair => pair.Key, pair => pair.Value);
    environment["ENCRYPTION_KEY"] = encryptionKey;
    environment["INTERNAL_API_KEY"] = ApiKey;
    environment["ASPNETCORE_ENVIRONMENT"] = "Production";
    proxy = await ProxyLatency.MeasureAsync(options, atlassian, environment, server, ApiKey);
}

if (results.Count > 0)
{
    Report.Print(results, options);
}

if (proxy is not null)
{
    ProxyLatency.Print(proxy);
}

if (steady.Count > 0)
{
    SteadyReport.Print(steady, options);
}

return 0;

async Task<List<SizeResult>> MeasureSizeAsync(int users)
{
    var folder = Directory.CreateDirectory(Path.Combine(options.WorkFolder, $"users-{users}")).FullName;
    var tokensFile = Path.Combine(folder, "user_tokens.json");
    var seeding = Stopwatch.StartNew();
    await Seeder.SeedAsync(tokensFile, users, encryptionKey, accessBytes: 1500, refreshBytes: 700);
    var fileBytes = new FileInfo(tokensFile).Length;
    var ciphertextBytes = HeldCiphertext.Bytes(tokensFile);
    Console.WriteLine($"[{users:N0}] seeded {fileBytes / 1e6:F1} MB in {seeding.Elapsed.TotalSeconds:F1} s; {ciphertextBytes / 1e6:F1} MB of token ciphertext for the file store to hold ({(double)ciphertextBytes / users:F0} bytes a grant)");

    var measured = new List<(string Store, string Logging, Measured Figures)>();
    await using var floor = new BareFloor(bodyBytes => StartBareAsync(users, bodyBytes, "minimal"));
    foreach (var (store, logging) in options.Stores.SelectMany(store => store == "file" ? new[] { (store, DefaultLogging), (store, "Warn") } : [(store, DefaultLogging)]))
    {
        var environment = atlassian.EnvironmentVariables().ToDictionary(pair => pair.Key, pair => pair.Value);
        environment["ENCRYPTION_KEY"] = encryptionKey;
        environment["INTERNAL_API_KEY"] = ApiKey;
        environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        if (logging != DefaultLogging)
        {
            environment["LOG_LEVEL"] = logging;
        }

        string? note = null;
        if (store == "postgres")
        {
            environment["TOKEN_STORE"] = "postgres";
            environment["DATABASE_URL"] = cluster!.Url(await cluster.CreateDatabaseAsync($"bench_{users}"));
            note = await ImportAsync(users, folder, tokensFile, environment);
        }
        else
        {
            // A copy, so that the postgres run imports the file exactly as seeded (the burst adds grants to this one).
            var copy = Path.Combine(folder, $"file-store-{logging}", "user_tokens.json");
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(tokensFile, copy, overwrite: true);
            environment["TOKENS_FILE"] = copy;
        }

        measured.Add((store, logging, await MeasureServerAsync(users, $"{store}, log {logging}", folder, environment, note, burst: logging == DefaultLogging, floor)));
    }

    var bareRss = floor.RssBytes;
    var bare = measured[0].Figures.Bare;
    var (bareMvc, bareMvcRss) = await MeasureBareAsync(users, measured[0].Figures.BodyBytes, "mvc");
    Console.WriteLine($"[{users:N0}] bare MVC action {bareMvc.RequestsPerSecond:F0} req/s ({100 * bareMvc.RequestsPerSecond / bare.RequestsPerSecond:F0}% of the bare endpoint's median beside the first server), p50 {bareMvc.P50Ms:F2} ms, p99 {bareMvc.P99Ms:F2} ms");
    File.Delete(tokensFile);
    return measured.Select(m => new SizeResult(users, m.Store, m.Logging, fileBytes, ciphertextBytes, m.Figures.StartUp, m.Figures.Note, m.Figures.Token, m.Figures.Status, m.Figures.Bare, bareMvc,
        m.Figures.RssIdle, m.Figures.Rss, m.Figures.Anonymous, m.Figures.Peak, bareRss, bareMvcRss, m.Figures.BodyBytes, m.Figures.Burst)).ToList();
}

// The server's own import-file command, as an operator moving to PostgreSQL runs it.
async Task<string> ImportAsync(int users, string folder, string tokensFile, Dictionary<string, string> environment)
{
    var importing = Stopwatch.StartNew();
    var import = ChildProcess.Start(options.ServerDll, ["import-file", tokensFile], environment, folder, Path.Combine(folder, "import.log"), options.PidFile);
    await using (import)
    {
        var exitCode = await import.WaitForExitAsync();
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"import-file failed with exit code {exitCode}:\n{import.Log()}");
        }
    }

    var summary = ImportLine().Match(import.Log()) is { Success: true } line ? line.Value : "import-file: ?";
    Console.WriteLine($"[{users:N0}] {summary} in {importing.Elapsed.TotalSeconds:F1} s");
    return Invariant($"import-file in {importing.Elapsed.TotalSeconds:F1} s: \"{summary}\"");
}

// The server as a user runs it (logging at Info, rate limits on, the key on every call); only the callback limit is
// lifted, because the burst comes from one address (loopback) where a real one comes from 500 browsers. /auth/token
// and /auth/status are not affected by it, and carry the key, so the status limit does not apply to them.
// The figures are taken in --rounds rounds of the bare endpoint, /auth/token and /auth/status, one after the other,
// and each is the median of its rounds: the floor is measured beside the server, not minutes before or after it.
async Task<Measured> MeasureServerAsync(int users, string store, string folder, Dictionary<string, string> environment, string? note, bool burst, BareFloor floor)
{
    var tag = $"[{users:N0} {store}]";
    environment["RATE_LIMIT_CALLBACK"] = "0";

    var started = Stopwatch.StartNew();
    // The log goes outside the working folder, which ASP.NET watches for configuration changes: as in production,
    // where the lines go to a journal, writing them must not wake that watcher once per request.
    var log = Path.Combine(Directory.CreateDirectory(Path.Combine(options.WorkFolder, "logs")).FullName, $"server-{users}-{store.Replace(", log ", "-", StringComparison.Ordinal)}.log");
    var process = ChildProcess.Start(options.ServerDll, ["--urls", server.ToString().TrimEnd('/')], environment, folder, log, options.PidFile);
    Wrk token, status, bare;
    (int, TimeSpan)? burstResult = null;
    TimeSpan startUp;
    long rssIdle, rss, peak, anonymous;
    int bodyBytes;
    await using (process)
    {
        await Health.WaitUntilHealthyAsync(process, server);
        startUp = started.Elapsed;
        (rssIdle, _, _) = process.Memory();
        Console.WriteLine($"{tag} healthy after {startUp.TotalSeconds:F2} s, RSS {rssIdle / 1e6:F0} MB");
        bodyBytes = await CheckTokenAsync(server, users);

        var bareAddress = await floor.AddressFor(bodyBytes);
        await Wrk.RunAsync(bareAddress, options.LuaScript, users, "/auth/token/", ApiKey, options.Connections, Math.Min(3, options.WarmUpSeconds));
        await Wrk.RunAsync(server, options.LuaScript, users, "/auth/token/", ApiKey, options.Connections, options.WarmUpSeconds);
        await Wrk.RunAsync(server, options.LuaScript, users, "/auth/status/", ApiKey, options.Connections, Math.Min(3, options.WarmUpSeconds));
        List<Wrk> bareRounds = [], tokenRounds = [], statusRounds = [];
        for (var round = 1; round <= options.Rounds; round++)
        {
            bareRounds.Add(Checked(await Wrk.RunAsync(bareAddress, options.LuaScript, users, "/auth/token/", ApiKey, options.Connections, options.Seconds), "bare"));
            tokenRounds.Add(Checked(await Wrk.RunAsync(server, options.LuaScript, users, "/auth/token/", ApiKey, options.Connections, options.Seconds), "/auth/token"));
            statusRounds.Add(Checked(await Wrk.RunAsync(server, options.LuaScript, users, "/auth/status/", ApiKey, options.Connections, options.Seconds), "/auth/status"));
            Console.WriteLine($"{tag} round {round}: bare {bareRounds[^1].RequestsPerSecond:F0} req/s; /auth/token {tokenRounds[^1].RequestsPerSecond:F0} req/s ({100 * tokenRounds[^1].RequestsPerSecond / bareRounds[^1].RequestsPerSecond:F0}%), p99 {tokenRounds[^1].P99Ms:F2} ms; /auth/status {statusRounds[^1].RequestsPerSecond:F0} req/s ({100 * statusRounds[^1].RequestsPerSecond / bareRounds[^1].RequestsPerSecond:F0}%)");
        }

        (bare, token, status) = (Wrk.Median(bareRounds), Wrk.Median(tokenRounds), Wrk.Median(statusRounds));
        (rss, _, anonymous) = process.Memory();
        Console.WriteLine($"{tag} medians of {options.Rounds} rounds: bare {bare.RequestsPerSecond:F0} req/s, p99 {bare.P99Ms:F2} ms; /auth/token {token.RequestsPerSecond:F0} req/s, p50 {token.P50Ms:F2} ms, p99 {token.P99Ms:F2} ms; /auth/status {status.RequestsPerSecond:F0} req/s, p50 {status.P50Ms:F2} ms, p99 {status.P99Ms:F2} ms; RSS {rss / 1e6:F0} MB ({anonymous / 1e6:F0} MB not file-backed)");
        if (burst && users == options.BurstUsers)
        {
            var result = await CallbackBurst.RunAsync(server, ApiKey, firstUser: users + 1, options.BurstSize);
            burstResult = (result.Granted, result.Elapsed);
            Console.WriteLine($"{tag} {options.BurstSize} concurrent callbacks: {result.Granted} granted in {result.Elapsed.TotalMilliseconds:F0} ms");
        }

        (_, peak, _) = process.Memory();
    }

    note ??= LoadLine().Match(process.Log()) is { Success: true } load ? $"server log \"Loaded {load.Groups[1].Value}\"" : "?";
    return new Measured(startUp, note, token, status, bare, rssIdle, rss, anonymous, peak, bodyBytes, burstResult);
}


async Task<(ChildProcess Process, Uri Address)> StartBareAsync(int users, int bodyBytes, string mode)
{
    var port = FreePort();
    var address = new Uri($"http://127.0.0.1:{port}/");
    var environment = new Dictionary<string, string>
    {
        ["BODY_BYTES"] = bodyBytes.ToString(CultureInfo.InvariantCulture),
        ["BARE_MODE"] = mode,
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
    };
    var bare = ChildProcess.Start(options.BareDll, ["--urls", address.ToString().TrimEnd('/')], environment, options.WorkFolder, Path.Combine(options.WorkFolder, "logs", $"bare-{mode}-{users}.log"), options.PidFile);
    await Health.WaitUntilHealthyAsync(bare, address);
    var answered = await CheckTokenAsync(address, users);
    return answered == bodyBytes
        ? (bare, address)
        : throw new InvalidOperationException($"bare {mode} answered {answered} bytes, the server {bodyBytes}");
}

// The floors: bench/BareEndpoint answering a body of the token's size from a minimal endpoint ("minimal", the
// machine's) or from an MVC controller action ("mvc", what the server's MVC controllers cost before any of its work).
async Task<(Wrk Result, long Rss)> MeasureBareAsync(int users, int bodyBytes, string mode)
{
    var (bare, address) = await StartBareAsync(users, bodyBytes, mode);
    await using (bare)
    {
        await Wrk.RunAsync(address, options.LuaScript, users, "/auth/token/", ApiKey, options.Connections, options.WarmUpSeconds);
        var result = Checked(await Wrk.RunAsync(address, options.LuaScript, users, "/auth/token/", ApiKey, options.Connections, options.Seconds), $"bare {mode}");
        return (result, bare.Memory().RssBytes);
    }
}

static Wrk Checked(Wrk result, string what) =>
    result.Non2xx > 0 || result.SocketErrors > 0
        ? throw new InvalidOperationException($"{what}: {result.Non2xx} answers were not 2xx and {result.SocketErrors} socket errors; the figures would be meaningless")
        : result;

static async Task<int> CheckTokenAsync(Uri server, int users)
{
    using var http = new HttpClient { BaseAddress = server };
    http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ApiKey);
    using var response = await http.GetAsync(new Uri($"/auth/token/{users}", UriKind.Relative));
    var body = await response.Content.ReadAsByteArrayAsync();
    return response.StatusCode == HttpStatusCode.OK && body.Length > 1500
        ? body.Length
        : throw new InvalidOperationException($"/auth/token/{users} answered {response.StatusCode} with {body.Length} bytes");
}

static int FreePort()
{
    using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

internal static partial class Program
{
    private const string DefaultLogging = "Info";

    [GeneratedRegex(@"Loaded (\d+ grants .* in \d+ ms)")]
    private static partial Regex LoadLine();

    [GeneratedRegex(@"Imported .*unchanged\.")]
    private static partial Regex ImportLine();

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

internal sealed record Measured(TimeSpan StartUp, string Note, Wrk Token, Wrk Status, Wrk Bare, long RssIdle, long Rss, long Anonymous, long Peak, int BodyBytes, (int, TimeSpan)? Burst);
