using JiraAuthServer.Web.Sandbox;
using Microsoft.Extensions.Time.Testing;

namespace JiraAuthServer.Tests.Sandbox;

/// <summary>The stand-in Atlassian behaves like the real one where a bot developer would notice.</summary>
public sealed class SandboxAtlassianTests
{
    private const string Redirect = "http://localhost:5000/auth/callback";
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 5, 1, 8, 0, 0, TimeSpan.Zero));
    private SandboxAtlassian atlassian = null!;

    [SetUp]
    public void SetUp() => atlassian = new SandboxAtlassian(clock);

    [Test]
    public void A_code_works_once_and_only_with_its_redirect_URI()
    {
        var code = IssueCode();
        var other = IssueCode();

        Assert.That(atlassian.Exchange(other, "http://elsewhere/cb").StatusCode, Is.EqualTo(403));
        Assert.That(atlassian.Exchange(code, Redirect).StatusCode, Is.EqualTo(200));
        Assert.That(atlassian.Exchange(code, Redirect).Body.Value<string>("error"), Is.EqualTo("invalid_grant"));
    }

    [Test]
    public void A_code_expires_after_ten_minutes()
    {
        var code = IssueCode();
        clock.Advance(TimeSpan.FromMinutes(10));

        Assert.That(atlassian.Exchange(code, Redirect).StatusCode, Is.EqualTo(403));
    }

    [Test]
    public void Every_refresh_rotates_the_refresh_token_and_issues_a_new_access_token()
    {
        var first = atlassian.Exchange(IssueCode(), Redirect).Body;

        var second = atlassian.Refresh(first.Value<string>("refresh_token")).Body;

        Assert.That(second.Value<string>("refresh_token"), Is.Not.EqualTo(first.Value<string>("refresh_token")));
        Assert.That(second.Value<string>("access_token"), Is.Not.EqualTo(first.Value<string>("access_token")));
        Assert.That(second.Value<int>("expires_in"), Is.EqualTo(3600));
        Assert.That(atlassian.IsLive(second.Value<string>("access_token")), Is.True);
    }

    [Test]
    public void A_replaced_refresh_token_is_answered_within_the_leeway_and_kills_the_grant_after_it()
    {
        var first = atlassian.Exchange(IssueCode(), Redirect).Body;
        var second = atlassian.Refresh(first.Value<string>("refresh_token")).Body;

        clock.Advance(TimeSpan.FromMinutes(5));
        var reuse = atlassian.Refresh(first.Value<string>("refresh_token"));
        clock.Advance(TimeSpan.FromMinutes(6));
        var lateReuse = atlassian.Refresh(first.Value<string>("refresh_token"));
        var current = atlassian.Refresh(second.Value<string>("refresh_token"));

        Assert.That(reuse.Body.Value<string>("refresh_token"), Is.EqualTo(second.Value<string>("refresh_token")), "same answer as the refresh that replaced it");
        Assert.That(lateReuse.Body.Value<string>("error"), Is.EqualTo("invalid_grant"));
        Assert.That(current.Body.Value<string>("error"), Is.EqualTo("invalid_grant"), "the whole family is dead");
    }

    [Test]
    public void Without_offline_access_there_is_no_refresh_token()
    {
        var consent = new SandboxConsent(Redirect, "s", "read:jira-work");

        var tokens = atlassian.Exchange(atlassian.IssueCode(consent), Redirect).Body;

        Assert.That(tokens.ContainsKey("refresh_token"), Is.False);
    }

    [Test]
    public void Access_tokens_die_after_an_hour()
    {
        var access = atlassian.Exchange(IssueCode(), Redirect).Body.Value<string>("access_token");
        clock.Advance(TimeSpan.FromHours(1));

        Assert.That(atlassian.IsLive(access), Is.False);
    }

    [Test]
    public void A_consent_is_used_once()
    {
        var id = atlassian.BeginConsent(new SandboxConsent(Redirect, "s", "read:jira-work"));

        Assert.That(atlassian.TakeConsent(id), Is.Not.Null);
        Assert.That(atlassian.TakeConsent(id), Is.Null);
    }

    private string IssueCode() => atlassian.IssueCode(new SandboxConsent(Redirect, "state", "read:jira-work read:jira-user offline_access"));
}
