using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace JiraAuthServer.Tests.Postgres;

/// <summary>
/// A throwaway PostgreSQL cluster: <c>initdb</c> into a temporary folder, <c>pg_ctl</c> on a loopback port with
/// password (SCRAM) logins, removed with everything in it on dispose. As root the server runs as the unprivileged
/// <c>postgres</c> user (PostgreSQL refuses to run as root). No NUnit here: bench/ServerBench compiles this file too.
/// </summary>
public sealed class PostgresTestCluster : IAsyncDisposable
{
    public const string Superuser = "postgres";

    private const string ServiceUser = "postgres";

    private const string NotDurable = " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";

    private readonly string binaries;
    private readonly string folder;
    private readonly bool durable;
    private int disposed;

    private PostgresTestCluster(string binaries, string folder, int port, string password, bool durable)
    {
        this.binaries = binaries;
        this.folder = folder;
        this.durable = durable;
        Port = port;
        Password = password;
    }

    public int Port { get; }

    /// <summary>The superuser's password: tests check it never shows up in a server's output.</summary>
    public string Password { get; }

    public static string Host => "127.0.0.1";

    private string DataFolder => Path.Combine(folder, "data");

    private string LogFile => Path.Combine(folder, "postgres.log");

    private static bool IsRoot => Environment.UserName == "root";

    /// <param name="port">A free loopback port.</param>
    /// <param name="durable">
    /// Keep fsync, synchronous commit and full page writes on, as in production (benchmarks); tests turn them off for speed.
    /// </param>
    /// <param name="folderListFile">
    /// A file the cluster's folder is appended to before anything runs in it, so that a caller killed midway can still
    /// stop and remove the cluster (bench/run.sh does).
    /// </param>
    /// <exception cref="InvalidOperationException">PostgreSQL is not installed or would not start; the message says why.</exception>
    public static async Task<PostgresTestCluster> StartAsync(int port, bool durable = false, string? folderListFile = null)
    {
        var binaries = FindBinaries() ?? throw new InvalidOperationException(
            "PostgreSQL is not installed (no initdb on PATH or in /usr/lib/postgresql/*/bin); install Debian's postgresql package (./test.sh does so as root)");
        // As root, /tmp rather than a temporary folder that may be private to root: the postgres user must own this one.
        var folder = Path.Combine(IsRoot ? "/tmp" : Path.GetTempPath(), "jira-auth-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        if (folderListFile is not null)
        {
            await File.AppendAllTextAsync(folderListFile, folder + "\n");
        }

        var password = "pg-" + Guid.NewGuid().ToString("N");
        var cluster = new PostgresTestCluster(binaries, folder, port, password, durable);
        try
        {
            await cluster.InitializeAsync();
            await cluster.StartServerAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>An Npgsql connection string for <paramref name="database"/> as the superuser.</summary>
    public string ConnectionString(string database = "postgres") => new NpgsqlConnectionStringBuilder
    {
        Host = Host,
        Port = Port,
        Username = Superuser,
        Password = Password,
        Database = database,
        Pooling = false,
    }.ConnectionString;

    /// <summary>The same as a <c>postgres://</c> URL, as an operator would put it in <c>DATABASE_URL</c>.</summary>
    public string Url(string database) => string.Create(CultureInfo.InvariantCulture, $"postgres://{Superuser}:{Password}@{Host}:{Port}/{database}");

    /// <summary>A new, empty database, so each test starts from nothing; named <paramref name="name"/> or at random.</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        name ??= "test_" + Guid.NewGuid().ToString("N")[..16];
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await create.ExecuteNonQueryAsync();
        return name;
    }

    /// <summary>A fast shutdown, as an operator restarting the database does: sessions are ended.</summary>
    public Task StopServerAsync() => RunAsync("pg_ctl", "-D", DataFolder, "-m", "fast", "-w", "stop");

    public Task StartServerAsync() => RunAsync(
        "pg_ctl", "-D", DataFolder, "-l", LogFile, "-w", "-t", "60", "-o",
        string.Create(CultureInfo.InvariantCulture, $"-p {Port} -k {folder} -c listen_addresses={Host}{(durable ? string.Empty : NotDurable)} -c max_connections=300"),
        "start");

    /// <summary>Runs SQL as the superuser on <paramref name="database"/>, e.g. to end another session.</summary>
    public async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        if (File.Exists(Path.Combine(DataFolder, "postmaster.pid")))
        {
            try
            {
                await RunAsync("pg_ctl", "-D", DataFolder, "-m", "immediate", "-w", "stop");
            }
            catch (InvalidOperationException)
            {
                // Already stopped; the folder goes anyway.
            }
        }

        Directory.Delete(folder, recursive: true);
    }

    private static string? FindBinaries()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "initdb"))
            .FirstOrDefault(File.Exists);
        if (onPath is not null)
        {
            return Path.GetDirectoryName(Path.GetFullPath(new FileInfo(onPath).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? onPath));
        }

        const string debian = "/usr/lib/postgresql";
        return Directory.Exists(debian)
            ? Directory.GetDirectories(debian)
                .Select(version => Path.Combine(version, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
                .FirstOrDefault()
            : null;
    }

    private async Task InitializeAsync()
    {
        var passwordFile = Path.Combine(folder, "password");
        await File.WriteAllTextAsync(passwordFile, Password);
        if (IsRoot)
        {
            await RunDirectAsync("chown", "-R", $"{ServiceUser}:", folder);
        }

        await RunAsync(
            "initdb", "-D", DataFolder, "-U", Superuser, "--pwfile", passwordFile, "--auth-local=trust", "--auth-host=scram-sha-256",
            "-E", "UTF8", "--no-locale", "--no-sync");
        File.Delete(passwordFile);
    }

    private Task RunAsync(string program, params string[] arguments) =>
        IsRoot
            ? RunDirectAsync("runuser", ["-u", ServiceUser, "--", Path.Combine(binaries, program), .. arguments])
            : RunDirectAsync(Path.Combine(binaries, program), arguments);

    private static async Task RunDirectAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(patience.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}:\n{await output}\n{await errors}");
        }
    }
}
