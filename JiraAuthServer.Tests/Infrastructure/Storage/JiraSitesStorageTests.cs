using JiraAuthServer.Core.Grants;
using JiraAuthServer.Infrastructure.Storage;
using JiraAuthServer.Tests.Support;
using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Tests.Infrastructure.Storage;

/// <summary>The <c>jira_sites</c> field: every site a user could reach, kept in the record next to the chosen one.</summary>
public sealed class JiraSitesStorageTests
{
    private const string OldRecord = "{\"access_token\": \"enc:a\", \"refresh_token\": \"\", \"expires_at\": \"2025-03-01T10:20:30+00:00\", \"jira_site_url\": \"https://old.atlassian.net\", \"bot_note\": {\"keep\": [1, 2]}}";
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly JiraSite Jira = new("cloud-1", "https://acme.atlassian.net", "Acme Café", ["read:jira-work", "write:jira-work"]);
    private static readonly JiraSite Wiki = new("cloud-1", "https://acme.atlassian.net", "Acme", ["read:confluence-content.all"]);
    private readonly PrefixTestCipher cipher = new();

    [Test]
    public async Task Every_site_comes_back_after_reopening_in_order_with_its_scopes()
    {
        using var folder = new TempFolder();
        await using (var repository = StoreFiles.Open(folder.TokensFile))
        {
            await repository.SaveAsync(7, GrantBuilder.Minimal(cipher) with { JiraSites = [Jira, Wiki] }, None);
        }

        await using var reopened = StoreFiles.Open(folder.TokensFile);
        var sites = (await reopened.GetAsync(7, None))!.JiraSites!;
        Assert.That(sites.Select(Describe), Is.EqualTo(new[] { Describe(Jira), Describe(Wiki) }));
    }

    [Test]
    public async Task The_field_is_a_list_of_id_url_name_and_scopes()
    {
        using var folder = new TempFolder();
        await using (var repository = StoreFiles.Open(folder.TokensFile))
        {
            await repository.SaveAsync(7, GrantBuilder.Minimal(cipher) with { JiraSites = [Jira] }, None);
        }

        var sites = StoreFiles.ReadJson(folder.TokensFile)["7"]!["jira_sites"]!;
        Assert.That(JToken.DeepEquals(sites, JArray.Parse("""[{"id": "cloud-1", "url": "https://acme.atlassian.net", "name": "Acme Café", "scopes": ["read:jira-work", "write:jira-work"]}]""")), Is.True, sites.ToString());
        Assert.That(File.ReadAllText(folder.TokensFile), Does.Contain("Acme Caf\\u00e9"), "ASCII only, like Python's json.dump");
    }

    [Test]
    public async Task A_record_written_before_sites_were_kept_loads_without_them_and_keeps_its_unknown_fields()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.TokensFile, "{\"7\": " + OldRecord + "}");
        await using (var repository = StoreFiles.Open(folder.TokensFile))
        {
            var old = (await repository.GetAsync(7, None))!;
            Assert.That(old.JiraSites, Is.Null);
            Assert.That(old.JiraSiteUrl, Is.EqualTo("https://old.atlassian.net"));
            await repository.SaveAsync(7, old with { JiraSites = [Jira], UpdatedAt = GrantBuilder.Now }, None);
        }

        var record = (JObject)StoreFiles.ReadJson(folder.TokensFile)["7"]!;
        Assert.That(JToken.DeepEquals(record["bot_note"], JObject.Parse("{\"keep\": [1, 2]}")), Is.True, "unknown fields survive the rewrite");
        Assert.That(record["jira_sites"]![0]!["url"]!.Value<string>(), Is.EqualTo("https://acme.atlassian.net"));
    }

    [Test]
    public async Task A_grant_without_sites_is_written_without_the_field()
    {
        using var folder = new TempFolder();
        await using (var repository = StoreFiles.Open(folder.TokensFile))
        {
            await repository.SaveAsync(7, GrantBuilder.Minimal(cipher), None);
        }

        Assert.That(File.ReadAllText(folder.TokensFile), Does.Not.Contain("jira_sites"));
    }

    [Test]
    public async Task A_null_list_reads_as_no_sites()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.TokensFile, "{\"7\": {\"access_token\": \"enc:a\", \"refresh_token\": \"\", \"expires_at\": \"2025-03-01T10:20:30\", \"jira_sites\": null}}");

        await using var repository = StoreFiles.Open(folder.TokensFile);

        Assert.That((await repository.GetAsync(7, None))!.JiraSites, Is.Null);
    }

    [TestCase("\"https://acme.atlassian.net\"")]
    [TestCase("{}")]
    [TestCase("[1]")]
    [TestCase("[{\"url\": \"https://acme.atlassian.net\"}]")]
    [TestCase("[{\"id\": \"c\", \"url\": 5}]")]
    [TestCase("[{\"id\": \"c\", \"url\": \"u\", \"scopes\": \"read:jira-work\"}]")]
    [TestCase("[{\"id\": \"c\", \"url\": \"u\", \"scopes\": [1]}]")]
    public void A_malformed_list_stops_the_load_and_says_where(string value)
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.TokensFile, "{\"7\": {\"access_token\": \"enc:a\", \"refresh_token\": \"\", \"expires_at\": \"2025-03-01T10:20:30\", \"jira_sites\": " + value + "}}");

        var exception = Assert.Throws<TokenStoreLoadException>(() => StoreFiles.Open(folder.TokensFile));

        Assert.That(exception!.Message, Does.Contain("user 7").And.Contain("jira_sites"));
    }

    private static string Describe(JiraSite site) => $"{site.CloudId} {site.Url} {site.Name} [{string.Join(' ', site.Scopes)}]";
}
