using System.Reflection;
using JiraAuthServer.Core.Grants;
using JiraAuthServer.Infrastructure.Storage.Fields;
using JiraAuthServer.Tests.Support;
using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Tests.Infrastructure.Storage;

/// <summary>
/// A grant's fields are listed once (<see cref="GrantFields.All"/>): a <see cref="StoredGrant"/> property missing there
/// fails here, and a grant with every field set comes back whole through the snapshot and through the journal.
/// </summary>
public sealed class GrantFieldsTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Test]
    public void Every_settable_property_of_a_stored_grant_is_a_field()
    {
        var fields = GrantFields.All.Select(field => field.Property).ToList();

        Assert.That(StoredProperties().Select(property => property.Name), Is.EquivalentTo(fields));
        Assert.That(fields, Is.Unique);
        Assert.That(GrantFields.All.Select(field => field.Name), Is.Unique);
    }

    [Test]
    public void The_full_grant_sets_every_field_to_something_other_than_its_default()
    {
        var empty = new StoredGrant { EncryptedAccessToken = string.Empty, EncryptedRefreshToken = string.Empty, ExpiresAt = default };
        var full = EveryField();

        foreach (var property in StoredProperties())
        {
            Assert.That(property.GetValue(full), Is.Not.EqualTo(property.GetValue(empty)), property.Name);
        }

        Assert.That(full.UnknownFields, Is.Not.Empty);
    }

    [Test]
    public async Task Every_field_survives_the_snapshot()
    {
        using var folder = new TempFolder();
        var grant = EveryField();
        await using (var repository = StoreFiles.Open(folder.TokensFile))
        {
            await repository.SaveManyAsync([KeyValuePair.Create(77L, grant)], None);
        }

        Assert.That(folder.FileNames(), Is.EqualTo(StoreFiles.FileAndLock));
        await using var reopened = StoreFiles.Open(folder.TokensFile);
        AssertEveryField(await reopened.GetAsync(77, None), grant);
    }

    [Test]
    public async Task Every_field_survives_the_journal()
    {
        using var folder = new TempFolder();
        using var crashed = new TempFolder();
        var grant = EveryField();
        await using (var repository = StoreFiles.Open(folder.TokensFile))
        {
            await repository.SaveManyAsync([KeyValuePair.Create(77L, grant)], None);
            JournalReplayTests.CopyStoreFiles(folder, crashed);
        }

        Assert.That(crashed.FileNames(), Is.EqualTo(new[] { "user_tokens.json.journal" }), "only the journal: the grant is replayed from it");
        await using var reopened = StoreFiles.Open(crashed.TokensFile);
        AssertEveryField(await reopened.GetAsync(77, None), grant);
    }

    /// <summary>A grant with every field set to something other than its default, the revision included.</summary>
    internal static StoredGrant EveryField() => GrantBuilder.Full() with
    {
        TokenType = "MAC",
        JiraSites =
        [
            new JiraSite("11223344-a1b2-3b33-c444-def123456789", "https://example.atlassian.net", "Example Café", ["read:jira-work", "write:jira-work"]),
            new JiraSite("99887766-a1b2-3b33-c444-def123456789", "https://other.atlassian.net", "Other", []),
        ],
        Revision = 4242,
    };

    /// <summary>Field by field (record equality would compare the site and unknown-field lists by reference).</summary>
    /// <param name="actual">What came back.</param>
    /// <param name="expected">What was stored.</param>
    /// <param name="unknownAsJson">Compare unknown fields as JSON values, for a store that normalizes their text (jsonb).</param>
    internal static void AssertEveryField(StoredGrant? actual, StoredGrant expected, bool unknownAsJson = false)
    {
        Assert.That(actual, Is.Not.Null);
        Assert.Multiple(() =>
        {
            foreach (var property in StoredProperties().Where(property => property.Name is not nameof(StoredGrant.JiraSites)))
            {
                Assert.That(property.GetValue(actual), Is.EqualTo(property.GetValue(expected)), property.Name);
            }

            Assert.That(actual!.JiraSites!.Select(Describe), Is.EqualTo(expected.JiraSites!.Select(Describe)), nameof(StoredGrant.JiraSites));
            if (unknownAsJson)
            {
                Assert.That(actual.UnknownFields.Keys, Is.EquivalentTo(expected.UnknownFields.Keys), nameof(StoredGrant.UnknownFields));
                foreach (var (name, json) in expected.UnknownFields)
                {
                    Assert.That(JToken.DeepEquals(JToken.Parse(actual.UnknownFields[name]), JToken.Parse(json)), Is.True, $"unknown field {name}: {actual.UnknownFields[name]}");
                }
            }
            else
            {
                Assert.That(actual.UnknownFields, Is.EquivalentTo(expected.UnknownFields), nameof(StoredGrant.UnknownFields));
                Assert.That(StoreFiles.Describe(1, actual), Is.EqualTo(StoreFiles.Describe(1, expected)));
            }
        });
    }

    /// <summary>
    /// The properties a field must hold: the token text views, the derived flag and the unknown fields are handled by
    /// every path on their own.
    /// </summary>
    private static IEnumerable<PropertyInfo> StoredProperties() => typeof(StoredGrant)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(property => property.SetMethod is { IsPublic: true })
        .Where(property => property.Name is not (nameof(StoredGrant.EncryptedAccessToken) or nameof(StoredGrant.EncryptedRefreshToken)
            or nameof(StoredGrant.NeedsReauthorization) or nameof(StoredGrant.UnknownFields)));

    private static string Describe(JiraSite site) => $"{site.CloudId} {site.Url} {site.Name} [{string.Join(' ', site.Scopes)}]";
}
