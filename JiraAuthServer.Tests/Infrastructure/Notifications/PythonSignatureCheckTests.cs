using System.ComponentModel;
using System.Diagnostics;
using JiraAuthServer.Core.Notifications;
using JiraAuthServer.Tests.Fakes;

namespace JiraAuthServer.Tests.Infrastructure.Notifications;

/// <summary>The README's Python check of <c>X-Signature</c> accepts what the server sends and refuses a changed body.</summary>
public sealed class PythonSignatureCheckTests
{
    // The function of the README's "Bot notifications" section, unchanged.
    private const string ReadmeSnippet = """
        import hashlib, hmac, json

        def verify(body: bytes, signature_header: str) -> dict:
            expected = "sha256=" + hmac.new(WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()
            if not hmac.compare_digest(expected, signature_header or ""):
                raise PermissionError("bad signature")
            return json.loads(body)
        """;

    private const string Harness = """

        import base64, sys
        body = base64.b64decode(sys.argv[1])
        try:
            print(verify(body, sys.argv[2])["event"])
        except PermissionError:
            print("refused")
        """;

    [Test]
    public async Task The_README_snippet_accepts_a_real_call_and_refuses_a_changed_body()
    {
        await using var bot = await FakeBotWebhook.StartAsync();
        await using var host = await WebhookTestHost.StartAsync(WebhookTestHost.Settings(bot, secret: "s3cr\u00e9t"));
        host.Events.Raise(new GrantEvent(GrantEventKind.Revoked, 77, "acc-1", DateTimeOffset.UnixEpoch));
        var call = (await bot.WaitForCallsAsync(1)).Single();

        var accepted = RunPython("s3cr\u00e9t", call.Body, call.Signature);
        var changed = RunPython("s3cr\u00e9t", [.. call.Body, (byte)' '], call.Signature);
        var wrongSecret = RunPython("other", call.Body, call.Signature);

        Assert.That(accepted, Is.EqualTo("revoked"));
        Assert.That(changed, Is.EqualTo("refused"));
        Assert.That(wrongSecret, Is.EqualTo("refused"));
    }

    private static string RunPython(string secret, byte[] body, string signature)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"WEBHOOK_SECRET = {System.Text.Json.JsonSerializer.Serialize(secret)}\n" + ReadmeSnippet + Harness);
        start.ArgumentList.Add(Convert.ToBase64String(body));
        start.ArgumentList.Add(signature);
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.That(process.ExitCode, Is.Zero, error);
            return output.Trim();
        }
        catch (Win32Exception)
        {
            Assert.Ignore("python3 is not installed");
            return string.Empty;
        }
    }
}
