using System.Net;
using JiraAuthServer.Tests.Fakes;
using JiraAuthServer.Tests.Support;

namespace JiraAuthServer.Tests.Web;

/// <summary>A refresh still waiting for Atlassian when the grant is revoked or authorized anew must not win.</summary>
public sealed class RevokeDuringRefreshTests
{
    private const long UserId = 8080;
    private WebTestContext context = null!;

    [SetUp]
    public async Task SetUp() => context = await WebTestContext.StartAsync();

    [TearDown]
    public async Task TearDown() => await context.DisposeAsync();

    [Test]
    public async Task A_refresh_that_finishes_after_a_revoke_does_not_bring_the_grant_back()
    {
        await AuthorizeInsideTheMarginAsync();
        context.Atlassian.TokenResponseDelay = TimeSpan.FromSeconds(2);

        var token = context.Bot.GetAsync(new Uri($"/auth/token/{UserId}", UriKind.Relative));
        Assert.That(await Eventually.TrueAsync(() => context.Atlassian.RefreshCount == 1), Is.True, "the refresh reached Atlassian");
        var revoke = await context.Bot.DeleteAsync(new Uri($"/auth/revoke/{UserId}", UriKind.Relative));
        var answer = await token;

        Assert.That(revoke.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(context.Atlassian.IssuedTokens, Has.Count.EqualTo(2), "Atlassian did answer the refresh");
        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await WebTestContext.JsonOf(answer)).Value<string>("error"), Is.EqualTo("User not authenticated"));
        Assert.That(context.StoredRecord(UserId), Is.Null, "not stored again");
        var status = await WebTestContext.JsonOf(await context.Browser.GetAsync(new Uri($"/auth/status/{UserId}", UriKind.Relative)));
        Assert.That(status.Value<bool>("authenticated"), Is.False);
    }

    [Test]
    public async Task A_refresh_that_finishes_after_a_new_authorization_does_not_overwrite_it()
    {
        await AuthorizeInsideTheMarginAsync();
        context.Atlassian.TokenResponseDelay = TimeSpan.FromSeconds(4);

        var token = context.Bot.GetAsync(new Uri($"/auth/token/{UserId}", UriKind.Relative));
        Assert.That(await Eventually.TrueAsync(() => context.Atlassian.RefreshCount == 1), Is.True, "the refresh reached Atlassian");
        context.Atlassian.TokenResponseDelay = TimeSpan.Zero; // only the refresh already held back stays slow
        context.Atlassian.NextUser = FakeJiraUser.Default with { AccountId = "second-account" };
        Assert.That((await context.AuthorizeAsync(UserId)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(token.IsCompleted, Is.False, "authorized again while the refresh still waited for Atlassian");
        var renewed = context.Atlassian.IssuedTokens.Single(tokens => tokens.GrantType == "authorization_code" && tokens.FamilyId != context.Atlassian.IssuedTokens[0].FamilyId);
        var answer = await WebTestContext.JsonOf(await token);

        var stored = context.StoredRecord(UserId)!;
        Assert.That(stored.Value<string>("jira_account_id"), Is.EqualTo("second-account"));
        Assert.That(WebTestContext.Decrypt(stored, "refresh_token"), Is.EqualTo(renewed.RefreshToken));
        Assert.That(answer.Value<string>("access_token"), Is.EqualTo(renewed.AccessToken));
    }

    private async Task AuthorizeInsideTheMarginAsync()
    {
        context.Atlassian.AccessTokenLifetime = TimeSpan.FromMinutes(2);
        Assert.That((await context.AuthorizeAsync(UserId)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        context.Atlassian.AccessTokenLifetime = TimeSpan.FromHours(1);
    }
}
