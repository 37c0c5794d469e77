using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace JiraAuthServer.Tests.Infrastructure.Crypto;

/// <summary>
/// Runs Python's <c>cryptography</c> Fernet in a child <c>python3</c>; keys, tokens and text travel over stdin as JSON.
/// </summary>
internal static class PythonFernet
{
    private const string Script = """
        import json, sys
        from cryptography.fernet import Fernet
        request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
        fernet = Fernet(request["key"].encode())
        operations = {
            "encrypt": lambda item: fernet.encrypt(item.encode("utf-8")).decode(),
            "decrypt": lambda item: fernet.decrypt(item.encode()).decode("utf-8"),
            "timestamp": lambda item: str(fernet.extract_timestamp(item.encode())),
        }
        sys.stdout.write(json.dumps([operations[request["op"]](item) for item in request["items"]]))
        """;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly Lazy<string?> Missing = new(FindWhatIsMissing);

    /// <summary>Ignores the calling test, with the reason, when python3 or its cryptography module is absent.</summary>
    public static void RequireOrIgnore()
    {
        if (Missing.Value is { } reason)
        {
            Assert.Ignore(reason);
        }
    }

    public static IReadOnlyList<string> Encrypt(string key, IEnumerable<string> plaintexts) => Call("encrypt", key, plaintexts);

    public static IReadOnlyList<string> Decrypt(string key, IEnumerable<string> tokens) => Call("decrypt", key, tokens);

    public static IReadOnlyList<ulong> Timestamps(string key, IEnumerable<string> tokens) =>
        [.. Call("timestamp", key, tokens).Select(ulong.Parse)];

    private static string[] Call(string operation, string key, IEnumerable<string> items)
    {
        string request = JsonSerializer.Serialize(new { op = operation, key, items });
        (int exitCode, string output, string error) = Run(["-c", Script], request);
        Assert.That(exitCode, Is.Zero, $"python3 failed: {error}");
        return JsonSerializer.Deserialize<string[]>(output) ?? [];
    }

    private static string? FindWhatIsMissing()
    {
        try
        {
            (int exitCode, _, string error) = Run(["-c", "import cryptography.fernet"], "");
            return exitCode == 0 ? null : $"python3 lacks the 'cryptography' module (pip install cryptography): {error.Trim()}";
        }
        catch (Win32Exception)
        {
            return "python3 is not on PATH";
        }
    }

    private static (int ExitCode, string Output, string Error) Run(string[] arguments, string input)
    {
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            StandardOutputEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(input);
        process.StandardInput.Close();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"python3 did not finish within {Timeout.TotalSeconds} s");
        }

        return (process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
    }
}
