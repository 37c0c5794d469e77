using System.Net;
using System.Net.Sockets;
using System.Text;
using JiraAuthServer.Infrastructure.Crypto;
using JiraAuthServer.Tests.Support;
using Newtonsoft.Json;

namespace JiraAuthServer.Tests.OutOfProcess;

/// <summary>
/// The server under systemd (<c>Type=notify</c>): it must say READY=1 only once the token store is loaded, and
/// STOPPING=1 when a stop begins. The notify support switches on only when the parent process is named systemd, so
/// the server is started from a copy of the shell under that name, and told a real <c>NOTIFY_SOCKET</c>.
/// </summary>
public sealed class SystemdNotifyTests : ProcessTestBase
{
    private const int Grants = 20_000;

    [Test]
    public async Task Ready_is_sent_after_every_grant_is_loaded_and_stopping_on_SIGTERM()
    {
        WriteTokenFile(Grants);
        var socketPath = Path.Combine(Context.Folder, "notify.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));
        Context.ExtraEnvironment["NOTIFY_SOCKET"] = socketPath;
        var systemd = Path.Combine(Context.Folder, "systemd");
        File.Copy("/bin/sh", systemd); // the mode (executable) comes along

        // What the server answers the moment READY=1 arrives: with the grants loaded, all of them are in the store.
        var readyAnswer = ReceiveAsync(socket).ContinueWith(async received =>
        {
            using var bot = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Context.Port}") };
            bot.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ProcessTestContext.ApiKey);
            return (Message: await received, Metrics: await bot.GetStringAsync(new Uri("/metrics", UriKind.Relative)));
        }, TaskScheduler.Default).Unwrap();
        var server = await ServerProcess.StartAsync(Context.Environment(), Context.Folder, Context.Port, parentShell: systemd);
        try
        {
            var (ready, metrics) = await readyAnswer.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.That(ready, Is.EqualTo("READY=1"), server.Output);
            Assert.That(metrics, Does.Contain($"jira_auth_grants_stored {Grants}"));
            Assert.That(server.Output, Does.Contain($"Loaded {Grants} grants"));

            var stopping = ReceiveAsync(socket);
            await server.SignalTerminateAsync();
            Assert.That(await stopping.WaitAsync(TimeSpan.FromSeconds(20)), Is.EqualTo("STOPPING=1"));
            Assert.That(await server.StopAsync(), Is.Zero, server.Output);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static async Task<string> ReceiveAsync(Socket socket)
    {
        var buffer = new byte[4096];
        var length = await socket.ReceiveAsync(buffer, SocketFlags.None);
        return Encoding.UTF8.GetString(buffer, 0, length).Trim();
    }

    /// <summary>A token file of the old server's layout; loading it takes a noticeable moment.</summary>
    private void WriteTokenFile(int count)
    {
        var cipher = FernetTokenCipher.FromEncryptionKey(ProcessTestContext.EncryptionKey);
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.ffffffzzz", System.Globalization.CultureInfo.InvariantCulture);
        var record = new Dictionary<string, string>
        {
            ["access_token"] = cipher.Encrypt("access"),
            ["refresh_token"] = cipher.Encrypt("refresh"),
            ["expires_at"] = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ss.ffffffzzz", System.Globalization.CultureInfo.InvariantCulture),
            ["created_at"] = now,
            ["updated_at"] = now,
        };
        var file = Enumerable.Range(1, count).ToDictionary(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture), _ => record);
        File.WriteAllText(Context.TokensFile, JsonConvert.SerializeObject(file));
    }
}
