using System.Diagnostics;
using JiraAuthServer.Tests.Support;
using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Tests.Infrastructure.Storage;

/// <summary>The file the old Python server wrote loads as it is, and a rewrite keeps every field of every record.</summary>
public sealed class PythonTokenFileTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly PrefixTestCipher cipher = new();

    private string OldServerFile => $$$"""
        {
          "1001": {
            "access_token": "{{{cipher.Encrypt("access-1001")}}}",
            "refresh_token": "{{{cipher.Encrypt("refresh-1001")}}}",
            "expires_at": "2025-03-01T10:20:30.123456",
            "token_type": "Bearer",
            "scope": "read:jira-work offline_access",
            "created_at": "2025-02-01T09:00:00",
            "updated_at": "2025-03-01T09:20:30.123456",
            "jira_account_id": "5b10ac8d82e05b22cc7d4ef5",
            "jira_email": "anna@example.com",
            "jira_cloud_id": "11223344-a1b2-3b33-c444-def123456789",
            "legacy_flags": {"beta": true, "limits": [1, 2.5, null, 1e+20], "nested": {"deep": "x"}},
            "refresh_count": 7
          },
          "1002": {
            "access_token": "{{{cipher.Encrypt("access-1002")}}}",
            "refresh_token": "",
            "expires_at": "2024-12-31T23:59:59"
          },
          "1003": {
            "access_token": "{{{cipher.Encrypt("access-1003")}}}",
            "refresh_token": "{{{cipher.Encrypt("refresh-1003")}}}",
            "expires_at": "2025-03-02T08:00:00+00:00",
            "jira_email": null,
            "note": "caf\u00e9 \ud83d\ude00"
          }
        }
        """;

    [Test]
    public async Task OldRecordsLoadWithTimestampsWithoutOffsetReadAsUtc()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.TokensFile, OldServerFile);
        await using var repository = StoreFiles.Open(folder.TokensFile, cipher);

        var full = await repository.GetAsync(1001, None);
        var bare = await repository.GetAsync(1002, None);
        Assert.Multiple(() =>
        {
            Assert.That(full!.ExpiresAt, Is.EqualTo(new DateTimeOffset(2025, 3, 1, 10, 20, 30, TimeSpan.Zero).AddTicks(1234560)));
            Assert.That(full.CreatedAt, Is.EqualTo(new DateTimeOffset(2025, 2, 1, 9, 0, 0, TimeSpan.Zero)));
            Assert.That(full.JiraEmail, Is.EqualTo("anna@example.com"));
            Assert.That(full.JiraSiteUrl, Is.Null);
            Assert.That(full.UnknownFields["refresh_count"], Is.EqualTo("7"));
            Assert.That(JToken.DeepEquals(JToken.Parse(full.UnknownFields["legacy_flags"]), JToken.Parse("""{"beta": true, "limits": [1, 2.5, null, 1e+20], "nested": {"deep": "x"}}""")), Is.True);
            Assert.That(bare!.EncryptedRefreshToken, Is.Empty);
            Assert.That(bare.TokenType, Is.EqualTo("Bearer"));
            Assert.That(bare.CreatedAt, Is.Null);
            Assert.That(bare.JiraAccountId, Is.Null);
        });
    }

    [Test]
    public async Task RewriteKeepsEveryFieldOfEveryRecord()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.TokensFile, OldServerFile);
        var before = StoreFiles.ReadJson(folder.TokensFile);
        await using (var repository = StoreFiles.Open(folder.TokensFile, cipher))
        {
            var grant = (await repository.GetAsync(1003, None))!;
            await repository.SaveAsync(1003, grant with { JiraSiteUrl = "https://example.atlassian.net" }, None);
            await repository.SaveAsync(2000, GrantBuilder.Minimal(cipher), None);
        }

        var after = StoreFiles.ReadJson(folder.TokensFile);
        Assert.Multiple(() =>
        {
            Assert.That(JToken.DeepEquals(after["1001"], before["1001"]), Is.True, "untouched record, unknown fields and old timestamps included");
            Assert.That(JToken.DeepEquals(after["1002"], before["1002"]), Is.True, "untouched record without optional fields");
            Assert.That((string?)after["1003"]!["note"], Is.EqualTo("café 😀"));
            Assert.That((string?)after["1003"]!["jira_site_url"], Is.EqualTo("https://example.atlassian.net"));
            Assert.That((string?)after["1003"]!["expires_at"], Is.EqualTo("2025-03-02T08:00:00+00:00"));
            Assert.That(after["2000"], Is.Not.Null);
        });
    }

    [Test]
    public async Task UntouchedRecordsKeepTheirExactTextWhateverTheLayout()
    {
        using var folder = new TempFolder();
        var compact = $$"""{"access_token":"{{cipher.Encrypt("a")}}","refresh_token":"","expires_at":"2025-03-01T10:20:30","name":"Zoë"}""";
        var crlf = "{\r\n    \"access_token\": \"" + cipher.Encrypt("b") + "\",\r\n\t\"refresh_token\": \"\",\r\n    \"expires_at\": \"2025-03-01T10:20:30\"\r\n  }";
        File.WriteAllText(folder.TokensFile, "\uFEFF{\"1\": " + compact + ",\r\n  \"2\": " + crlf + ",\r\"3\": " + compact + "}");

        await using (var repository = StoreFiles.Open(folder.TokensFile, cipher))
        {
            Assert.That((await repository.GetAsync(3, None))!.UnknownFields["name"], Is.EqualTo("\"Zo\\u00eb\""));
            await repository.SaveAsync(4, GrantBuilder.Minimal(cipher), None);
        }

        var rewritten = File.ReadAllText(folder.TokensFile);
        Assert.That(rewritten, Does.Contain("\n  \"1\": " + compact + ",\n"));
        Assert.That(rewritten, Does.Contain("\n  \"2\": " + crlf + ",\n"));
        Assert.That(rewritten, Does.Contain("\n  \"3\": " + compact));
        Assert.That(StoreFiles.ReadJson(folder.TokensFile).Properties().Count(), Is.EqualTo(4));
    }

    [Test]
    public async Task PythonReadsWhatThisServerWritesAndTheOtherWayRound()
    {
        var python = FindOnPath("python3");
        Assume.That(python, Is.Not.Null, "python3 is not installed");
        using var folder = new TempFolder();
        await RunPythonAsync(python!, """
            import json, sys
            data = {
                "1001": {"access_token": "a1", "refresh_token": "r1", "expires_at": "2025-03-01T10:20:30.123456",
                         "jira_email": "zoë@example.com", "extra": {"n": [1, 2.5, None]}},
                "1002": {"access_token": "a2", "refresh_token": "", "expires_at": "2025-03-01T10:20:30"},
            }
            with open(sys.argv[1], "w") as f:
                json.dump(data, f, indent=2)
            """, folder.TokensFile);

        await using (var repository = StoreFiles.Open(folder.TokensFile, new LenientCipher()))
        {
            await repository.SaveAsync(1003, GrantBuilder.Full(cipher), None);
        }

        var output = await RunPythonAsync(python!, """
            import json, sys
            from datetime import datetime
            with open(sys.argv[1]) as f:
                data = json.load(f)
            assert data["1001"] == {"access_token": "a1", "refresh_token": "r1", "expires_at": "2025-03-01T10:20:30.123456",
                                    "jira_email": "zoë@example.com", "extra": {"n": [1, 2.5, None]}}, data["1001"]
            assert data["1002"] == {"access_token": "a2", "refresh_token": "", "expires_at": "2025-03-01T10:20:30"}
            new = data["1003"]
            datetime.fromisoformat(new["expires_at"])
            assert new["jira_site_name"] == "Example Café"
            assert new["legacy_flags"]["limits"] == [1, 2.5, None]
            print("ok")
            """, folder.TokensFile);
        Assert.That(output.Trim(), Is.EqualTo("ok"));
    }

    private static async Task<string> RunPythonAsync(string python, string script, string argument)
    {
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(argument);
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        start.Environment["PYTHONUTF8"] = "1";
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.Zero, error);
        return output;
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);

    /// <summary>Opens any token: the Python-written file here holds placeholders, not ciphertexts.</summary>
    private sealed class LenientCipher : global::JiraAuthServer.Core.Crypto.ITokenCipher
    {
        public string Encrypt(string plaintext) => plaintext;

        public string Decrypt(string token) => token;
    }
}
