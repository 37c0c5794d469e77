using JiraAuthServer.Core.JiraProxy;

namespace JiraAuthServer.Tests.Core;

public sealed class JiraProxyPathParseTests
{
    [Test]
    public void A_valid_target_gives_the_user_the_path_and_the_query_as_sent()
    {
        var result = JiraProxyPath.Parse("/jira/123456789/rest/api/3/issue/PROJ-1?expand=names&fields=a%2Cb");

        Assert.That(result.Error, Is.Null);
        Assert.That(result.Target, Is.EqualTo(new JiraProxyTarget(123456789, "rest/api/3/issue/PROJ-1", "?expand=names&fields=a%2Cb")));
        Assert.That(result.Target!.JiraUrl("https://api.atlassian.com/", "c1d2"), Is.EqualTo("https://api.atlassian.com/ex/jira/c1d2/rest/api/3/issue/PROJ-1?expand=names&fields=a%2Cb"));
    }

    [TestCase("/jira/1/rest/a b", "U+0020")]
    [TestCase("/jira/1/rest/a\tb", "U+0009")]
    [TestCase("/jira/1/rest/\u00e9", "U+00E9")]
    [TestCase("/jira/1/rest/a\\b", "backslash")]
    [TestCase("/jira/1/rest/x?q=\u0001", "U+0001")]
    [TestCase("/other/1/rest/x", "starting with /jira/")]
    [TestCase(null, "starting with /jira/")]
    [TestCase("/jira/0/rest/x", "positive whole number")]
    [TestCase("/jira/1", "must start with rest/")]
    [TestCase("/jira/1/rest/%2", "percent-encoded byte")]
    [TestCase("/jira/1/rest/%25%32%66", "multiply encoded slash")]
    public void A_bad_target_says_what_is_wrong(string? target, string reason)
    {
        var result = JiraProxyPath.Parse(target);

        Assert.That(result.Target, Is.Null);
        Assert.That(result.Error, Does.Contain(reason));
    }

    [Test]
    public void A_percent_that_stands_for_itself_is_kept()
    {
        Assert.That(JiraProxyPath.Parse("/jira/1/rest/api/3/filter/50%25off").Target?.Path, Is.EqualTo("rest/api/3/filter/50%25off"));
    }
}
