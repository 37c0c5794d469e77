using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace JiraAuthServer.Tests.Support;

/// <summary>
/// The real built server as a child process on a loopback port, configured only through environment variables,
/// with its console output captured.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private static readonly string[] OwnVariables =
    [
        "JIRA_CLIENT_ID", "JIRA_CLIENT_SECRET", "JIRA_REDIRECT_URI", "JIRA_BASE_URL", "ENCRYPTION_KEY", "INTERNAL_API_KEY",
        "ATLASSIAN_API_URL", "TOKENS_FILE", "JIRA_SCOPES", "JIRA_SITE_URL", "ASPNETCORE_URLS", "ASPNETCORE_ENVIRONMENT",
        "DOTNET_ENVIRONMENT", "ATLASSIAN_TIMEOUT", "TOKEN_REFRESH_MARGIN", "KEEPALIVE_AFTER", "KEEPALIVE_RATE", "KEEPALIVE_INTERVAL",
        "REAUTH_NOTICE_BEFORE", "TOKEN_STORE", "DATABASE_URL", "LOG_LEVEL", "LOG_FORMAT",
    ];

    private const string ShellCommand = "dotnet \"$@\"; exit $?";

    private readonly Process process;
    private readonly StringBuilder output;

    private ServerProcess(Process process, StringBuilder output, Uri baseAddress)
    {
        this.process = process;
        this.output = output;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public bool HasExited => process.HasExited;

    /// <summary>Everything the server printed so far (stdout and stderr).</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts the server and waits until <c>/health</c> answers 200.</summary>
    /// <param name="environment">The server's environment variables (others of its own are removed).</param>
    /// <param name="workingDirectory">Where it runs: its default token file and <c>.env</c> are here.</param>
    /// <param name="port">A loopback port; a free one by default.</param>
    /// <param name="serverDll">Another build of the server (a published one, say); the test build's by default.</param>
    /// <param name="arguments">The server's arguments; <c>--urls</c> with <paramref name="port"/> by default (give the port then, which the server must listen on).</param>
    /// <param name="parentShell">
    /// A shell to start the server from, which stays its parent process (a copy named <c>systemd</c>, say); the
    /// server is this test's own child by default.
    /// </param>
    public static async Task<ServerProcess> StartAsync(
        IReadOnlyDictionary<string, string> environment, string workingDirectory, int? port = null, string? serverDll = null, IReadOnlyList<string>? arguments = null, string? parentShell = null)
    {
        var address = new Uri($"http://127.0.0.1:{port ?? FreePort()}");
        var output = new StringBuilder();
        var process = Launch(arguments ?? ["--urls", address.ToString().TrimEnd('/')], environment, workingDirectory, output, serverDll ?? RepositoryFolder.ServerDll, parentShell: parentShell);
        var server = new ServerProcess(process, output, address);
        await server.WaitUntilHealthyAsync(TimeSpan.FromSeconds(30));
        return server;
    }

    /// <summary>Runs the server DLL with <paramref name="arguments"/> (a command, or a start expected to fail) to its end.</summary>
    public static async Task<(int ExitCode, string Output)> RunToEndAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        var output = new StringBuilder();
        using var process = Launch(arguments, environment, workingDirectory, output, RepositoryFolder.ServerDll);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }

    /// <summary>Runs a command of the server DLL to its end, its stdout and stderr apart.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunCommandAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        var output = new StringBuilder();
        var error = new StringBuilder();
        using var process = Launch(arguments, environment, workingDirectory, output, RepositoryFolder.ServerDll, error);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        lock (output)
        {
            lock (error)
            {
                return (process.ExitCode, output.ToString(), error.ToString());
            }
        }
    }

    public HttpClient CreateClient(string? apiKey = null)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = BaseAddress };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>SIGTERM and wait: a graceful stop, as systemd or an orchestrator does.</summary>
    public async Task<int> StopAsync()
    {
        if (!process.HasExited)
        {
            await SignalTerminateAsync();
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await process.WaitForExitAsync(patience.Token);
        }

        return process.ExitCode;
    }

    /// <summary>SIGTERM to the server (not to a parent shell), without waiting: a graceful stop begins.</summary>
    public async Task SignalTerminateAsync()
    {
        if (ServerProcessId() is { } id)
        {
            using var term = Process.Start("kill", ["-TERM", id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await term.WaitForExitAsync();
        }
    }

    /// <summary>The server's own process: this one, or the child of the parent shell it was started from (null once it ended).</summary>
    private int? ServerProcessId()
    {
        if (!process.StartInfo.ArgumentList.Contains(ShellCommand))
        {
            return process.Id;
        }

        string[] children;
        try
        {
            children = File.ReadAllText($"/proc/{process.Id}/task/{process.Id}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (IOException)
        {
            return null; // the shell ended too
        }

        Assert.That(children, Has.Length.LessThanOrEqualTo(1), "the parent shell runs the server as its only child");
        return children.Length == 0 ? null : int.Parse(children[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process.Dispose();
    }

    /// <summary>Starts the DLL with its stdout (and its stderr too, unless <paramref name="error"/> is given) into <paramref name="output"/>.</summary>
    private static Process Launch(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory, StringBuilder output, string serverDll, StringBuilder? error = null, string? parentShell = null)
    {
        Assert.That(File.Exists(serverDll), Is.True, $"the server is not built at {serverDll}");
        var start = new ProcessStartInfo(parentShell ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (parentShell is not null)
        {
            // Not `exec`: the shell must stay the server's parent. "$0" is the shell's name, "$@" the server's arguments.
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(ShellCommand);
            start.ArgumentList.Add(Path.GetFileName(parentShell));
        }

        start.ArgumentList.Add(serverDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in OwnVariables)
        {
            start.Environment.Remove(name);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, line) => Append(output, line.Data);
        process.ErrorDataReceived += (_, line) => Append(error ?? output, line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private async Task WaitUntilHealthyAsync(TimeSpan limit)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < limit)
        {
            if (process.HasExited)
            {
                Assert.Fail($"the server exited with code {process.ExitCode} before it was healthy:\n{Output}");
            }

            try
            {
                if ((await client.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        Assert.Fail($"the server was not healthy within {limit}:\n{Output}");
    }
}
