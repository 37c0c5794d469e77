using System.Net;
using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Tests.Web.JiraProxy;

/// <summary>Paths that could leave <c>/ex/jira/{cloud_id}/rest/</c>, sent byte for byte over a socket, are refused with 400 and never reach Jira.</summary>
public sealed class JiraProxyPathTests : JiraProxyTestBase
{
    [TestCase("rest/api/3/../../../oauth/token", "..")]
    [TestCase("rest/api/3/issue/..", "..")]
    [TestCase("rest/./api/3/myself", ". or ..")]
    [TestCase("rest/api/3/%2e%2e/%2e%2e/admin", "encoded . or ..")]
    [TestCase("rest/api/3/%2E%2E/x", "encoded . or ..")]
    [TestCase("rest/api/3/issue%2F..%2F..%2Fadmin", "encoded slash")]
    [TestCase("rest/api/3/issue%2f..", "encoded slash")]
    [TestCase("rest/api/3/issue%5C..%5Cadmin", "backslash")]
    [TestCase("rest/api/3/issue%252F..%252Fadmin", "multiply encoded slash")]
    [TestCase("rest/api/3/issue%25252F..", "multiply encoded slash")]
    [TestCase("rest/api/3/%252e%252e/admin", "encoded . or ..")]
    [TestCase("rest/api/3/issue%255Cadmin", "backslash")]
    [TestCase("rest//evil.com/x", "empty segment")]
    [TestCase("rest/api/3//evil.com", "empty segment")]
    [TestCase("rest/../../", "..")]
    [TestCase("rest/api/3/issue%0D%0AHost:evil.com", "control character")]
    [TestCase("rest/api/3/issue%C2%85", "control character")]
    [TestCase("rest/api/3/issue%zz", "percent-encoded")]
    [TestCase("api/3/myself", "must start with rest/")]
    [TestCase("Rest/api/3/myself", "must start with rest/")]
    [TestCase("", "must start with rest/")]
    [TestCase("//evil.com/rest/api/3/myself", "must start with rest/")]
    [TestCase("http://evil.com/rest/api/3/myself", "must start with rest/")]
    [TestCase("@evil.com/rest/api/3/myself", "must start with rest/")]
    public async Task A_path_that_could_leave_Jira_rest_is_refused_and_never_sent(string path, string reason)
    {
        var (status, body) = await SendRawAsync("GET", JiraTarget(path));

        Assert.That(status, Is.EqualTo(400), body);
        Assert.That(JObject.Parse(body).Value<string>("error"), Does.Contain(reason));
        Assert.That(Context.Atlassian.JiraRequests, Is.Empty);
    }

    [TestCase("/jira/42/../../ex/jira/other-cloud/rest/api/3/myself")]
    [TestCase("/jira/42/rest/../../../x")]
    [TestCase("/jira/../jira/42/rest/api/3/myself")]
    [TestCase("/jira/%2e%2e/42/rest/api/3/myself")]
    [TestCase("/jira/42%2Frest/api/3/myself")]
    [TestCase("/jira/42/rest/api/3/issue%00x")]
    public async Task Dot_segments_around_the_user_id_never_reach_Jira(string target)
    {
        var (status, body) = await SendRawAsync("POST", target);

        Assert.That(status, Is.AnyOf(400, 404), body);
        Assert.That(Context.Atlassian.JiraRequests, Is.Empty);
    }

    [Test]
    public async Task A_malformed_user_id_is_refused()
    {
        var (status, body) = await SendRawAsync("GET", "/jira/abc/rest/api/3/myself");

        Assert.That(status, Is.EqualTo(400));
        Assert.That(JObject.Parse(body).Value<string>("error"), Is.EqualTo("telegram_user_id must be a positive whole number"));
        Assert.That(Context.Atlassian.JiraRequests, Is.Empty);
    }

    [Test]
    public async Task An_absolute_form_target_is_refused()
    {
        var address = Context.Bot.BaseAddress!;
        var (status, _) = await SendRawAsync("GET", $"http://{address.Authority}/jira/42/rest/api/3/issue/X-1");

        Assert.That(status, Is.EqualTo(400));
        Assert.That(Context.Atlassian.JiraRequests, Is.Empty);
    }

    [TestCase("rest/api/3/issue/PROJ-1?fields=summary%2Cstatus", "/rest/api/3/issue/PROJ-1?fields=summary%2Cstatus")]
    [TestCase("rest/api/3/user/properties/my%20key?accountId=a&accountId=b", "/rest/api/3/user/properties/my%20key?accountId=a&accountId=b")]
    [TestCase("rest/api/3/project/PROJ/", "/rest/api/3/project/PROJ/")]
    [TestCase("rest/api/3/search/jql?jql=text~%22a/b%22", "/rest/api/3/search/jql?jql=text~%22a/b%22")]
    public async Task A_safe_path_and_its_query_reach_Jira_byte_for_byte(string path, string expectedTail)
    {
        var (status, body) = await SendRawAsync("GET", JiraTarget(path));

        Assert.That(status, Is.EqualTo(200), body);
        Assert.That(Context.Atlassian.JiraRequests.Single().RawTarget, Is.EqualTo($"/ex/jira/{CloudId}{expectedTail}"));
    }

    [Test]
    public async Task Jira_calls_may_repeat_a_query_parameter()
    {
        var response = await Context.Bot.GetAsync(Jira("rest/api/3/user/bulk?accountId=a&accountId=b"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Context.Atlassian.JiraRequests.Single().RawTarget, Does.EndWith("?accountId=a&accountId=b"));
    }
}
