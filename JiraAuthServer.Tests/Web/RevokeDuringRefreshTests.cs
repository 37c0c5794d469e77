using System.Net;
using JiraAuthServer.Tests.Fakes;
using JiraAuthServer.Tests.Support;

namespace JiraAuthServer.Tests.Web;

/// <summary>A refresh still waiting for Atlassian when the grant is revoked or authorized anew must not win.</summary>
public sealed class RevokeDuringRefreshTests : WebTestBase
{
    private const long UserId = 8080;

    [Test]
    public async Task A_refresh_that_finishes_after_a_revoke_does_not_bring_the_grant_back()
    {
        await AuthorizeInsideTheMarginAsync();
        Context.Atlassian.TokenResponseDelay = TimeSpan.FromSeconds(2);

        var token = Context.Bot.GetAsync(new Uri($"/auth/token/{UserId}", UriKind.Relative));
        Assert.That(await Eventually.TrueAsync(() => Context.Atlassian.RefreshCount == 1), Is.True, "the refresh reached Atlassian");
        var revoke = await Context.Bot.DeleteAsync(new Uri($"/auth/revoke/{UserId}", UriKind.Relative));
        var answer = await token;

        Assert.That(revoke.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Context.Atlassian.IssuedTokens, Has.Count.EqualTo(2), "Atlassian did answer the refresh");
        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await WebTestContext.JsonOf(answer)).Value<string>("error"), Is.EqualTo("User not authenticated"));
        Assert.That(Context.StoredRecord(UserId), Is.Null, "not stored again");
        var status = await WebTestContext.JsonOf(await Context.Browser.GetAsync(new Uri($"/auth/status/{UserId}", UriKind.Relative)));
        Assert.That(status.Value<bool>("authenticated"), Is.False);
    }

    [Test]
    public async Task A_refresh_that_finishes_after_a_new_authorization_does_not_overwrite_it()
    {
        await AuthorizeInsideTheMarginAsync();
        Context.Atlassian.TokenResponseDelay = TimeSpan.FromSeconds(4);

        var token = Context.Bot.GetAsync(new Uri($"/auth/token/{UserId}", UriKind.Relative));
        Assert.That(await Eventually.TrueAsync(() => Context.Atlassian.RefreshCount == 1), Is.True, "the refresh reached Atlassian");
        Context.Atlassian.TokenResponseDelay = TimeSpan.Zero; // only the refresh already held back stays slow
        Context.Atlassian.NextUser = FakeJiraUser.Default with { AccountId = "second-account" };
        Assert.That((await Context.AuthorizeAsync(UserId)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(token.IsCompleted, Is.False, "authorized again while the refresh still waited for Atlassian");
        var renewed = Context.Atlassian.IssuedTokens.Single(tokens => tokens.GrantType == "authorization_code" && tokens.FamilyId != Context.Atlassian.IssuedTokens[0].FamilyId);
        var answer = await WebTestContext.JsonOf(await token);

        var stored = Context.StoredRecord(UserId)!;
        Assert.That(stored.Value<string>("jira_account_id"), Is.EqualTo("second-account"));
        Assert.That(WebTestContext.Decrypt(stored, "refresh_token"), Is.EqualTo(renewed.RefreshToken));
        Assert.That(answer.Value<string>("access_token"), Is.EqualTo(renewed.AccessToken));
    }

    private async Task AuthorizeInsideTheMarginAsync()
    {
        Context.Atlassian.AccessTokenLifetime = TimeSpan.FromMinutes(2);
        Assert.That((await Context.AuthorizeAsync(UserId)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Context.Atlassian.AccessTokenLifetime = TimeSpan.FromHours(1);
    }
}
