using System.Diagnostics;
using System.Globalization;

namespace ServerBench;

/// <summary>
/// A throwaway PostgreSQL cluster as the tests start one (<c>initdb</c> into a temporary folder, <c>pg_ctl</c> on a
/// free loopback port, as the <c>postgres</c> user when root), but with fsync and synchronous commit left on, as in
/// production. Its folder is noted in the cluster file that bench/run.sh stops and removes on exit, however it ends.
/// </summary>
internal sealed class PgCluster : IAsyncDisposable
{
    private const string ServiceUser = "postgres";

    private readonly string binaries;
    private readonly string folder;
    private int disposed;

    private PgCluster(string binaries, string folder, int port)
    {
        this.binaries = binaries;
        this.folder = folder;
        Port = port;
    }

    public int Port { get; }

    private string DataFolder => Path.Combine(folder, "data");

    private static bool IsRoot => Environment.UserName == "root";

    public static async Task<PgCluster> StartAsync(string clusterFile, int port)
    {
        var binaries = FindBinaries() ?? throw new InvalidOperationException(
            "PostgreSQL is not installed (no initdb in /usr/lib/postgresql/*/bin); install Debian's postgresql package");
        // Not under the bench's work folder: as root that one is private to root, and the postgres user must own this one.
        var folder = Path.Combine("/tmp", "jira-auth-bench-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        await File.AppendAllTextAsync(clusterFile, folder + "\n");
        var cluster = new PgCluster(binaries, folder, port);
        try
        {
            if (IsRoot)
            {
                await RunDirectAsync("chown", "-R", $"{ServiceUser}:", folder);
            }

            await cluster.RunAsync("initdb", "-D", cluster.DataFolder, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync");
            await cluster.RunAsync(
                "pg_ctl", "-D", cluster.DataFolder, "-l", Path.Combine(folder, "postgres.log"), "-w", "-t", "60", "-o",
                string.Create(CultureInfo.InvariantCulture, $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=200"),
                "start");
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>A new empty database; the server creates its schema itself.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await RunAsync("createdb", "-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", name);
        return string.Create(CultureInfo.InvariantCulture, $"postgres://postgres@127.0.0.1:{Port}/{name}");
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
                await RunAsync("pg_ctl", "-D", DataFolder, "-m", "fast", "-w", "stop");
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
        const string debian = "/usr/lib/postgresql";
        return Directory.Exists(debian)
            ? Directory.GetDirectories(debian)
                .Select(version => Path.Combine(version, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
                .FirstOrDefault()
            : null;
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
