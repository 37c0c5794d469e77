using System.Text;
using JiraAuthServer.Core.Grants;
using JiraAuthServer.Infrastructure.Storage;
using JiraAuthServer.Tests.Support;

namespace JiraAuthServer.Tests.Infrastructure.Storage;

/// <summary>
/// The hand-written record writer lays out a grant byte for byte as the Newtonsoft writer does (the layout Python's
/// json.dump(indent=2) writes and reads), so records written by either load without a template.
/// </summary>
public sealed class EntryWriterTests
{
    private static readonly string EveryAsciiCharacter = new([.. Enumerable.Range(0, 128).Select(code => (char)code)]);

    private static IEnumerable<TestCaseData> Grants()
    {
        var cipher = new PrefixTestCipher();
        yield return new TestCaseData(GrantBuilder.Minimal(cipher)).SetArgDisplayNames("minimal");
        yield return new TestCaseData(GrantBuilder.Full(cipher) with { UnknownFields = new Dictionary<string, string>() }).SetArgDisplayNames("every known field");
        yield return new TestCaseData(GrantBuilder.Minimal(cipher) with
        {
            EncryptedAccessToken = "gAAAAABnxYz0AAECAwQFBgcICQoLDA0ODzEyMzQ1Njc4OTAxMjM0NTY3ODkwMTI=",
            EncryptedRefreshToken = "gAAAAABnxYz0AAECAwQFBgcICQoLDA0OD-_yMzQ1Njc4OTAxMjM0NTY3ODkwMTI=",
        }).SetArgDisplayNames("tokens held as bytes");
        yield return new TestCaseData(GrantBuilder.Minimal(cipher) with
        {
            Scope = EveryAsciiCharacter,
            JiraEmail = "zoë@exämple.com \u0085 \u2028 \u2029 \uffff 😀 \ud800 lone",
            JiraSiteName = "Café \"quoted\" \\ back\\slash",
            JiraAccountId = string.Empty,
            CreatedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)),
            UpdatedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, 678, TimeSpan.Zero),
        }).SetArgDisplayNames("characters to escape and offsets");
        yield return new TestCaseData(GrantBuilder.Minimal(cipher) with
        {
            JiraSites =
            [
                new JiraSite("cloud-1", "https://one.atlassian.net", "Café \"One\"", ["read:jira-work", "write:jira-work"]),
                new JiraSite("cloud-2", "https://two.atlassian.net", string.Empty, []),
            ],
        }).SetArgDisplayNames("jira sites");
        yield return new TestCaseData(GrantBuilder.Minimal(cipher) with { JiraSites = [] }).SetArgDisplayNames("empty jira sites");
    }

    [TestCaseSource(nameof(Grants))]
    public void Writes_a_record_exactly_as_Newtonsoft_does(StoredGrant grant)
    {
        var buffer = new EntryBuffer();
        EntryWriter.Render(buffer, 424242, grant);

        Assert.That(Encoding.UTF8.GetString(buffer.Written), Is.EqualTo(Encoding.UTF8.GetString(GrantJsonMapper.SerializeWithNewtonsoft(424242, grant))));
    }

    [Test]
    public void A_record_this_version_wrote_is_held_without_a_template_and_an_old_one_without_its_tokens()
    {
        using var folder = new TempFolder();
        var access = "gAAAAABnxYz0AAECAwQFBgcICQoLDA0ODzEyMzQ1Njc4OTAxMjM0NTY3ODkwMTI=";
        var refresh = "gAAAAABnxYz0AAECAwQFBgcICQoLDA0OD-_yMzQ1Njc4OTAxMjM0NTY3ODkwMTI=";
        var current = Encoding.UTF8.GetString(GrantJsonMapper.SerializeEntry(1, GrantBuilder.Minimal() with { EncryptedAccessToken = access, EncryptedRefreshToken = refresh }));
        File.WriteAllText(folder.TokensFile, "{\n" + current + ",\n" +
            $$"""  "2": {"refresh_token": "{{refresh}}", "access_token": "{{access}}", "expires_at": "2025-03-01T10:20:30.123456", "extra": [1]}""" + "\n}");

        var entries = TokenFileLoader.Load(folder.TokensFile).ToDictionary(pair => pair.Key, pair => pair.Value);

        Assert.That(entries[1].Template, Is.Null);
        var template = entries[2].Template!;
        Assert.That(Encoding.UTF8.GetString(template.Text), Does.Not.Contain(access).And.Not.Contain(refresh));
        Assert.That(template.RefreshCut, Is.LessThan(template.AccessCut), "the old record's field order is kept");
        var buffer = new EntryBuffer();
        EntryWriter.Write(buffer, 2, entries[2]);
        Assert.That(Encoding.UTF8.GetString(buffer.Written), Is.EqualTo(
            $$"""  "2": {"refresh_token": "{{refresh}}", "access_token": "{{access}}", "expires_at": "2025-03-01T10:20:30.123456", "extra": [1]}"""));
    }

    [Test]
    public void A_record_with_jira_sites_this_version_wrote_is_held_without_a_template()
    {
        using var folder = new TempFolder();
        var grant = GrantBuilder.Minimal() with
        {
            JiraSites = [new JiraSite("cloud-1", "https://one.atlassian.net", "One", ["read:jira-work"])],
        };
        File.WriteAllText(folder.TokensFile, "{\n" + Encoding.UTF8.GetString(GrantJsonMapper.SerializeEntry(1, grant)) + "\n}");

        var entries = TokenFileLoader.Load(folder.TokensFile).ToDictionary(pair => pair.Key, pair => pair.Value);

        Assert.That(entries[1].Template, Is.Null);
        var site = entries[1].Grant.JiraSites!.Single();
        Assert.That((site.CloudId, site.Url, site.Name), Is.EqualTo(("cloud-1", "https://one.atlassian.net", "One")));
        Assert.That(site.Scopes, Is.EqualTo(new[] { "read:jira-work" }));
    }

    [Test]
    public void A_saved_grant_with_unknown_fields_is_held_without_its_tokens_and_written_whole()
    {
        var grant = GrantBuilder.Full() with
        {
            EncryptedAccessToken = "gAAAAABnxYz0AAECAwQFBgcICQoLDA0ODzEyMzQ1Njc4OTAxMjM0NTY3ODkwMTI=",
            EncryptedRefreshToken = "gAAAAABnxYz0AAECAwQFBgcICQoLDA0OD-_yMzQ1Njc4OTAxMjM0NTY3ODkwMTI=",
        };

        var entry = GrantJsonMapper.ToEntry(5, grant);
        var buffer = new EntryBuffer();
        EntryWriter.Write(buffer, 5, entry);

        Assert.That(Encoding.UTF8.GetString(entry.Template!.Text), Does.Not.Contain(grant.EncryptedAccessToken).And.Not.Contain(grant.EncryptedRefreshToken));
        Assert.That(Encoding.UTF8.GetString(buffer.Written), Is.EqualTo(Encoding.UTF8.GetString(GrantJsonMapper.SerializeEntry(5, grant))));
    }
}
