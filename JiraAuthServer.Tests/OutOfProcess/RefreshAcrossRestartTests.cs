using System.Net;
using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Tests.OutOfProcess;

/// <summary>Rotation survives the process: each refresh after a stop or a crash sends the newest refresh token.</summary>
public sealed class RefreshAcrossRestartTests : ProcessTestBase
{
    private const long UserId = 606;
    [Test]
    public async Task Three_refreshes_across_a_graceful_stop_and_a_kill_each_use_the_newest_refresh_token()
    {
        // Every token is issued inside the 5-minute margin, so every request refreshes.
        Context.Atlassian.AccessTokenLifetime = TimeSpan.FromMinutes(2);
        await Context.StartServerAsync();
        Assert.That((await Context.AuthorizeAsync(UserId)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var first = await AccessTokenAsync();
        await Context.StopServerAsync();
        await Context.StartServerAsync();
        var second = await AccessTokenAsync();

        // SIGKILL right after the answer: the refreshed grant must already be on disk.
        await Context.KillServerAsync();
        var restarted = await Context.StartServerAsync();
        var third = await AccessTokenAsync();

        var issued = Context.Atlassian.IssuedTokens;
        var sent = Context.Atlassian.TokenRequests.Where(request => request.GrantType == "refresh_token").Select(request => request.Fields["refresh_token"]).ToList();
        Assert.That(Context.Atlassian.RefreshCount, Is.EqualTo(3));
        Assert.That(Context.Atlassian.RefreshReuseCount, Is.Zero);
        Assert.That(Context.Atlassian.RevokedFamilyCount, Is.Zero);
        Assert.That(issued.Select(tokens => tokens.GrantType), Is.EqualTo(new[] { "authorization_code", "refresh_token", "refresh_token", "refresh_token" }));
        Assert.That(sent, Is.EqualTo(issued.Take(3).Select(tokens => tokens.RefreshToken)), "each refresh used the token the previous answer issued");
        Assert.That(new[] { first, second, third }, Is.EqualTo(issued.Skip(1).Select(tokens => tokens.AccessToken)));
        Assert.That(restarted.Output, Does.Contain($"Refresh for user {UserId}: Refreshed"));
        Assert.That(restarted.Output, Does.Not.Contain(issued[3].RefreshToken!).And.Not.Contain(issued[3].AccessToken));
    }

    private async Task<string> AccessTokenAsync()
    {
        var response = await Context.GetTokenAsync(UserId);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return JObject.Parse(await response.Content.ReadAsStringAsync()).Value<string>("access_token")!;
    }
}
