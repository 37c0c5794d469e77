using System.Net;
using System.Net.Sockets;
using System.Text;
using JiraAuthServer.Tests.Fakes;

namespace JiraAuthServer.Tests.Web.JiraProxy;

/// <summary>
/// A server on a real loopback Kestrel (raw request targets, bodies that really stream) and a connected user
/// <see cref="UserId"/> whose Jira calls go to the fake Jira REST of <see cref="WebTestContext.Atlassian"/>.
/// </summary>
public abstract class JiraProxyTestBase : WebTestBase
{
    protected const long UserId = 42;

    protected static readonly string CloudId = FakeAtlassianSite.DefaultCloudId;

    /// <summary>The access token the server holds for <see cref="UserId"/> after the authorization in the set-up.</summary>
    protected string UserAccessToken { get; private set; } = string.Empty;

    protected virtual IDictionary<string, string?>? Settings => null;

    protected override Task<WebTestContext> StartContextAsync() => WebTestContext.StartAsync(Settings, kestrel: true);

    [SetUp]
    public async Task ConnectUser()
    {
        var callback = await Context.AuthorizeAsync(UserId);
        Assert.That(callback.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the user should be connected");
        UserAccessToken = Context.Atlassian.LastIssuedTokens!.AccessToken;
    }

    protected static Uri Jira(string pathAndQuery, long userId = UserId) => new($"/jira/{userId}/{pathAndQuery}", UriKind.Relative);

    protected static string JiraTarget(string pathAndQuery, long userId = UserId) => $"/jira/{userId}/{pathAndQuery}";

    /// <summary>
    /// Sends a request line exactly as given over a socket (HttpClient would resolve dot segments and re-encode),
    /// with the API key, and returns the status code and body.
    /// </summary>
    protected async Task<(int Status, string Body)> SendRawAsync(string method, string target)
    {
        var address = Context.Bot.BaseAddress!;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        await using var stream = tcp.GetStream();
        var request = $"{method} {target} HTTP/1.1\r\nHost: {address.Authority}\r\nAuthorization: Bearer {AuthServerFactory.ApiKey}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var answer = await reader.ReadToEndAsync();
        var status = int.Parse(answer.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        var bodyStart = answer.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (status, bodyStart < 0 ? string.Empty : answer[(bodyStart + 4)..]);
    }
}
