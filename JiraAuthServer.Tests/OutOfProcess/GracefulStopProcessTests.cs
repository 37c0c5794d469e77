using System.Net;
using JiraAuthServer.Tests.Support;

namespace JiraAuthServer.Tests.OutOfProcess;

/// <summary>SIGTERM to the built server while a slow request is in flight: readiness turns false at once, the request still ends well.</summary>
public sealed class GracefulStopProcessTests : ProcessTestBase
{
    [Test]
    public async Task Ready_answers_503_from_SIGTERM_on_while_the_request_in_flight_drains()
    {
        Context.Atlassian.AccessTokenLifetime = TimeSpan.FromMinutes(1); // within the refresh margin: the next token request refreshes
        var server = await Context.StartServerAsync();
        Assert.That((await Context.AuthorizeAsync(1)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var probe = server.CreateClient();
        Assert.That((await probe.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Context.Atlassian.TokenResponseDelay = TimeSpan.FromSeconds(3);

        var token = Context.GetTokenAsync(1);
        Assert.That(await Eventually.TrueAsync(() => Context.Atlassian.TokenRequests.Any(request => request.GrantType == "refresh_token")), Is.True, "the refresh reached Atlassian");
        await server.SignalTerminateAsync();

        // The signal is handled a moment after kill returns: ask until the answer changes, while the request is still in flight.
        var ready = await probe.GetAsync(new Uri("/health/ready", UriKind.Relative));
        while (ready.StatusCode == HttpStatusCode.OK && !token.IsCompleted)
        {
            await Task.Delay(20);
            ready = await probe.GetAsync(new Uri("/health/ready", UriKind.Relative));
        }

        Assert.That(token.IsCompleted, Is.False, "readiness turned false while the slow request was still in flight");
        var live = await probe.GetAsync(new Uri("/health/live", UriKind.Relative));
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), server.Output);
        Assert.That(await ready.Content.ReadAsStringAsync(), Is.EqualTo("""{"status":"unhealthy","error":"The server is stopping"}"""));
        Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the process still answers");
        Assert.That((await token).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the slow request is answered, not cut off");
        await Context.StopServerAsync();
    }
}
