using JiraAuthServer.Infrastructure.Storage;

namespace JiraAuthServer.Tests.Infrastructure.Storage;

/// <summary>A file that is not a complete token file stops the start and stays byte for byte as it was.</summary>
public sealed class DamagedTokenFileTests
{
    private const string Valid = "\"access_token\": \"enc:a\", \"refresh_token\": \"\", \"expires_at\": \"2025-03-01T10:20:30\"";

    private static IEnumerable<TestCaseData> DamagedFiles()
    {
        yield return Case("garbage", "this is not json", "line 1");
        yield return Case("truncated", "{\n  \"1001\": {\n    " + Valid + ",\n    \"jira_em", "line 4", "user 1001");
        yield return Case("truncated after a record", "{\n  \"1001\": {" + Valid + "},\n", "line 3", "truncated");
        yield return Case("empty", string.Empty, "empty (0 bytes)");
        yield return Case("only whitespace", "  \n", "no JSON value");
        yield return Case("array root", "[{\"1001\": {}}]", "StartArray", "line 1");
        yield return Case("string root", "\"tokens\"", "String", "line 1");
        yield return Case("key not a number", "{\"1001\": {" + Valid + "}, \"anna\": {" + Valid + "}}", "\"anna\"", "column");
        yield return Case("key zero", "{\"0\": {" + Valid + "}}", "\"0\"");
        yield return Case("key negative", "{\"-5\": {" + Valid + "}}", "\"-5\"");
        yield return Case("key beyond 64 bits", "{\"99999999999999999999\": {" + Valid + "}}", "\"99999999999999999999\"");
        yield return Case("duplicate user", "{\"7\": {" + Valid + "},\n\"7\": {" + Valid + "}}", "user 7 a second time", "line 2");
        yield return Case("record not an object", "{\"7\": \"token\"}", "user 7");
        yield return Case("missing access_token", "{\n  \"1001\": {" + Valid + "},\n  \"1002\": {\"refresh_token\": \"\", \"expires_at\": \"2025-03-01T10:20:30\"}\n}", "user 1002", "line 3", "access_token");
        yield return Case("missing expires_at", "{\"1001\": {\"access_token\": \"enc:a\", \"refresh_token\": \"\"}}", "user 1001", "expires_at");
        yield return Case("access_token null", "{\"1001\": {\"access_token\": null, \"refresh_token\": \"\", \"expires_at\": \"2025-03-01T10:20:30\"}}", "user 1001", "access_token");
        yield return Case("bad timestamp", "{\"1001\": {\"access_token\": \"enc:a\", \"refresh_token\": \"\", \"expires_at\": \"yesterday\"}}", "user 1001", "expires_at", "yesterday");
        yield return Case("timestamp as a number", "{\"1001\": {\"access_token\": \"enc:a\", \"refresh_token\": \"\", \"expires_at\": 1740824430}}", "user 1001", "expires_at", "Integer");
        yield return Case("content after the object", "{}\n{}", "line 2");
    }

    [TestCaseSource(nameof(DamagedFiles))]
    public void RefusesToLoadAndLeavesTheFileUnchanged(string content, string[] expectedInMessage)
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.TokensFile, content);
        var hash = StoreFiles.Sha256(folder.TokensFile);

        var exception = Assert.Throws<TokenStoreLoadException>(() => StoreFiles.Open(folder.TokensFile));

        Assert.That(exception!.Message, Does.Contain(folder.TokensFile));
        Assert.That(exception.Message, Does.Not.Contain(".."), "one sentence end, not the parser's and ours");
        foreach (var expected in expectedInMessage)
        {
            Assert.That(exception.Message, Does.Contain(expected));
        }

        Assert.That(StoreFiles.Sha256(folder.TokensFile), Is.EqualTo(hash));
        Assert.That(folder.FileNames(), Is.EqualTo(StoreFiles.FileAndLock));
    }

    [Test]
    public void RefusesBytesThatAreNotUtf8()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.TokensFile, [.. "{\"1001\": {\"access_token\": \"enc:a"u8, 0xFF, 0xFE, .. "\", \"refresh_token\": \"\", \"expires_at\": \"2025-03-01T10:20:30\"}}"u8]);
        var hash = StoreFiles.Sha256(folder.TokensFile);

        var exception = Assert.Throws<TokenStoreLoadException>(() => StoreFiles.Open(folder.TokensFile));

        Assert.That(exception!.Message, Does.Contain(folder.TokensFile));
        Assert.That(StoreFiles.Sha256(folder.TokensFile), Is.EqualTo(hash));
    }

    [Test]
    public void AFailedLoadReleasesTheLockSoTheRepairedFileOpens()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.TokensFile, "{\"1001\": ");
        Assert.Throws<TokenStoreLoadException>(() => StoreFiles.Open(folder.TokensFile));

        File.WriteAllText(folder.TokensFile, "{\"1001\": {" + Valid + "}}");
        using var repository = StoreFiles.Open(folder.TokensFile);
        Assert.That(repository.CountAsync(CancellationToken.None).Result, Is.EqualTo(1));
    }

    [Test]
    public void Of_many_bad_records_the_first_in_the_file_is_named()
    {
        // Records are read in parallel; the one named must still be the first bad one in file order.
        using var folder = new TempFolder();
        var records = Enumerable.Range(1, 4000).Select(user => user < 1000
            ? $"  \"{user}\": {{{Valid}}}"
            : $"  \"{user}\": {{\"access_token\": \"enc:a\", \"refresh_token\": \"\"}}");
        File.WriteAllText(folder.TokensFile, "{\n" + string.Join(",\n", records) + "\n}");

        var exception = Assert.Throws<TokenStoreLoadException>(() => StoreFiles.Open(folder.TokensFile));

        Assert.That(exception!.Message, Does.Contain("bad record for user 1000 at line 1001, column 3"));
    }

    private static TestCaseData Case(string name, string content, params string[] expectedInMessage) =>
        new TestCaseData(content, expectedInMessage).SetArgDisplayNames(name);
}
