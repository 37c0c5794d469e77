using JiraAuthServer.Core.Grants;
using JiraAuthServer.Infrastructure.Storage;
using JiraAuthServer.Infrastructure.Storage.Journal;
using JiraAuthServer.Tests.Fakes;
using JiraAuthServer.Tests.Support;

namespace JiraAuthServer.Tests.Infrastructure.Storage;

/// <summary>
/// A start replays the snapshot and then the journal: every acknowledged change comes back, a torn last append is
/// dropped with a warning, and any other damage refuses the start with every byte left as it was.
/// </summary>
public sealed class JournalReplayTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly PrefixTestCipher cipher = new();

    [Test]
    public async Task Files_copied_from_a_running_store_replay_every_change()
    {
        using var running = new TempFolder();
        using var crashed = new TempFolder();
        Dictionary<long, string> expected;
        await using (var repository = StoreFiles.Open(running.TokensFile))
        {
            for (var user = 1L; user <= 20; user++)
            {
                await repository.SaveAsync(user, GrantBuilder.Full(cipher, $"v1-{user}"), None);
            }

            await repository.SaveAsync(3, GrantBuilder.Full(cipher, "v2-3"), None);
            await repository.DeleteAsync(4, None);
            await repository.SaveManyAsync([KeyValuePair.Create(30L, GrantBuilder.Minimal(cipher, "30")), KeyValuePair.Create(31L, GrantBuilder.Minimal(cipher, "31"))], None);
            expected = await StoreFiles.SnapshotAsync(repository);
            CopyStoreFiles(running, crashed);
        }

        Assert.That(crashed.FileNames(), Does.Contain("user_tokens.json.journal"), "the copy is of a store that had not compacted");
        await using var reopened = StoreFiles.Open(crashed.TokensFile);

        Assert.That(await StoreFiles.SnapshotAsync(reopened), Is.EqualTo(expected));
        Assert.That(await reopened.GetAsync(4, None), Is.Null);
        Assert.That((await reopened.GetAsync(3, None))!.EncryptedAccessToken, Is.EqualTo(cipher.Encrypt("access-v2-3")));
    }

    [Test]
    public async Task Sealed_journals_replay_before_the_active_one_over_the_snapshot()
    {
        using var folder = new TempFolder();
        await using (var repository = StoreFiles.Open(folder.TokensFile))
        {
            await repository.SaveAsync(1, Grant("old-1"), None);
            await repository.SaveAsync(5, Grant("old-5"), None);
        }

        WriteJournal(folder.TokensFile + ".journal.1", lines =>
        {
            Put(lines, 1, 1, Grant("new-1"));
            Put(lines, 2, 2, Grant("sealed-2"));
        });
        WriteJournal(folder.TokensFile + ".journal.2", lines => Put(lines, 3, 3, Grant("sealed-3")));
        WriteJournal(folder.TokensFile + ".journal", lines =>
        {
            GrantJournal.WriteDelete(lines, 4, 2);
            Put(lines, 5, 3, Grant("active-3"));
            GrantJournal.WriteDelete(lines, 6, 5);
        });

        await using var reopened = StoreFiles.Open(folder.TokensFile);

        var grants = await reopened.ListAsync(None);
        Assert.That(grants.ToDictionary(pair => pair.Key, pair => pair.Value.EncryptedAccessToken), Is.EquivalentTo(new Dictionary<long, string>
        {
            [1] = cipher.Encrypt("new-1"),
            [3] = cipher.Encrypt("active-3"),
        }));
    }

    [Test]
    public async Task A_torn_last_line_is_dropped_with_a_warning_and_cut_off_so_later_appends_replay()
    {
        using var folder = new TempFolder();
        using var crashed = new TempFolder();
        var journal = folder.TokensFile + ".journal";
        WriteJournal(journal, lines =>
        {
            Put(lines, 1, 1, Grant("one"));
            Put(lines, 2, 2, Grant("two"));
        });
        var torn = Line(lines => Put(lines, 3, 3, Grant("three")));
        File.AppendAllText(journal, torn[..(torn.Length / 2)]);
        var logger = new RecordingLogger<JsonFileTokenRepository>();

        await using (var repository = JsonFileTokenRepository.Open(folder.TokensFile, cipher, logger))
        {
            Assert.That((await repository.ListAsync(None)).Select(pair => pair.Key), Is.EquivalentTo(new long[] { 1, 2 }));
            Assert.That(logger.Lines, Has.Some.StartsWith("Warning:").And.Contains(journal).And.Contains("line 3"));

            // What follows is appended after the last whole line, not after the torn bytes.
            await repository.SaveAsync(4, Grant("four"), None);
            CopyStoreFiles(folder, crashed);
        }

        await using var reopened = StoreFiles.Open(crashed.TokensFile);
        Assert.That((await reopened.ListAsync(None)).Select(pair => pair.Key), Is.EquivalentTo(new long[] { 1, 2, 4 }));
        Assert.That(StoreFiles.ReadJson(crashed.TokensFile).Properties().Select(property => property.Name), Is.EquivalentTo(new[] { "1", "2", "4" }));
    }

    [Test]
    public void The_appender_cuts_a_torn_tail_off_before_appending_so_the_journal_stays_whole()
    {
        using var folder = new TempFolder();
        var journal = folder.TokensFile + ".journal";
        WriteJournal(journal, lines => Put(lines, 1, 1, Grant("one")));
        var whole = new FileInfo(journal).Length;
        var torn = Line(lines => Put(lines, 2, 2, Grant("two")));
        File.AppendAllText(journal, torn[..(torn.Length / 2)]);

        var replayed = JournalReplay.Replay(folder.TokensFile, _ => { });
        var appender = new JournalAppender(folder.TokensFile, replayed);
        Assert.That(new FileInfo(journal).Length, Is.EqualTo(whole));
        var next = new JournalLineWriter();
        Put(next, appender.LastSequence + 1, 3, Grant("three"));
        appender.Append(next);

        var sequences = new List<long>();
        var again = JournalReplay.Replay(folder.TokensFile, change => sequences.AddRange(change.Select(line => line.Sequence)));
        Assert.That(sequences, Is.EqualTo(new long[] { 1, 2 }));
        Assert.That(again.DroppedTail, Is.Null);
        Assert.That(File.ReadAllText(journal), Does.Not.Contain("enc:two"));
    }

    [Test]
    public async Task An_incomplete_change_of_several_lines_at_the_end_is_dropped_whole()
    {
        using var folder = new TempFolder();
        using var crashed = new TempFolder();
        WriteJournal(folder.TokensFile + ".journal", lines =>
        {
            Put(lines, 1, 1, Grant("one"));
            GrantJournal.WritePut(lines, 2, 2, GrantJsonMapper.ToEntry(2, Grant("two")), more: true);
            GrantJournal.WritePut(lines, 3, 3, GrantJsonMapper.ToEntry(3, Grant("three")), more: true);
        });
        var logger = new RecordingLogger<JsonFileTokenRepository>();

        await using (var repository = JsonFileTokenRepository.Open(folder.TokensFile, cipher, logger))
        {
            Assert.That((await repository.ListAsync(None)).Select(pair => pair.Key), Is.EqualTo(new long[] { 1 }));
            Assert.That(logger.Lines, Has.Some.StartsWith("Warning:").And.Contains("line 2"));

            await repository.SaveAsync(4, Grant("four"), None);
            CopyStoreFiles(folder, crashed);
        }

        await using var reopened = StoreFiles.Open(crashed.TokensFile);
        Assert.That((await reopened.ListAsync(None)).Select(pair => pair.Key), Is.EquivalentTo(new long[] { 1, 4 }));
    }

    [Test]
    public async Task A_damaged_line_before_the_last_refuses_the_start_naming_file_and_line_and_changes_no_byte()
    {
        using var folder = new TempFolder();
        await using (var repository = StoreFiles.Open(folder.TokensFile))
        {
            await repository.SaveAsync(9, Grant("snapshot"), None);
        }

        var journal = folder.TokensFile + ".journal";
        WriteJournal(journal, lines =>
        {
            Put(lines, 1, 1, Grant("one"));
            Put(lines, 2, 2, Grant("two"));
            Put(lines, 3, 3, Grant("three"));
        });
        var bytes = File.ReadAllBytes(journal);
        bytes[bytes.AsSpan().IndexOf("enc:two"u8) + 4] = (byte)'T';
        File.WriteAllBytes(journal, bytes);

        AssertRefused(folder, journal, "line 2", "checksum");
    }

    [Test]
    public void A_damaged_last_line_with_its_newline_is_refused_not_dropped()
    {
        using var folder = new TempFolder();
        var journal = folder.TokensFile + ".journal";
        WriteJournal(journal, lines =>
        {
            Put(lines, 1, 1, Grant("one"));
            Put(lines, 2, 2, Grant("two"));
        });
        var text = File.ReadAllText(journal);
        var firstDigit = text.Length - 11;
        File.WriteAllText(journal, text[..firstDigit] + (text[firstDigit] == '0' ? '1' : '0') + text[(firstDigit + 1)..]);

        AssertRefused(folder, journal, "line 2", "checksum");
    }

    [Test]
    public void A_gap_in_the_sequence_numbers_is_refused()
    {
        using var folder = new TempFolder();
        var journal = folder.TokensFile + ".journal";
        WriteJournal(journal, lines =>
        {
            Put(lines, 1, 1, Grant("one"));
            Put(lines, 2, 2, Grant("two"));
            Put(lines, 4, 4, Grant("four"));
            Put(lines, 5, 5, Grant("five"));
        });

        AssertRefused(folder, journal, "line 3", "sequence number 4", "3 must follow");
    }

    [Test]
    public void A_gap_between_a_sealed_and_the_active_journal_is_refused()
    {
        using var folder = new TempFolder();
        WriteJournal(folder.TokensFile + ".journal.1", lines => Put(lines, 1, 1, Grant("one")));
        WriteJournal(folder.TokensFile + ".journal", lines => Put(lines, 3, 3, Grant("three")));

        AssertRefused(folder, folder.TokensFile + ".journal", "line 1", "sequence number 3");
    }

    [Test]
    public void A_put_whose_record_lacks_a_required_field_is_refused_naming_the_line()
    {
        using var folder = new TempFolder();
        var journal = folder.TokensFile + ".journal";
        WriteJournal(journal, lines =>
        {
            Put(lines, 1, 1, Grant("one"));
            lines.Begin(2);
            lines.Buffer.Ascii(", \"op\": \"put\", \"user\": 2, \"record\": {\"access_token\": \"enc:two\", \"refresh_token\": \"\"}"u8);
            lines.End();
            Put(lines, 3, 3, Grant("three"));
        });

        AssertRefused(folder, journal, "line 2", "expires_at");
    }

    [TestCase(", \"op\": \"put\", \"user\": 2", "without a record")]
    [TestCase(", \"op\": \"rename\", \"user\": 2", "'rename'")]
    [TestCase(", \"op\": \"delete\"", "no user")]
    [TestCase(", \"op\": \"delete\", \"user\": -2", "not a Telegram user id")]
    public void A_line_that_is_not_a_put_or_delete_is_refused_naming_the_line(string payload, string problem)
    {
        using var folder = new TempFolder();
        var journal = folder.TokensFile + ".journal";
        WriteJournal(journal, lines =>
        {
            Put(lines, 1, 1, Grant("one"));
            lines.Begin(2);
            lines.Buffer.Ascii(System.Text.Encoding.UTF8.GetBytes(payload));
            lines.End();
        });

        AssertRefused(folder, journal, "line 2", problem);
    }

    [Test]
    public void A_sealed_journal_that_ends_in_the_middle_of_a_line_is_refused()
    {
        using var folder = new TempFolder();
        var sealedJournal = folder.TokensFile + ".journal.1";
        WriteJournal(sealedJournal, lines => Put(lines, 1, 1, Grant("one")));
        var torn = Line(lines => Put(lines, 2, 2, Grant("two")));
        File.AppendAllText(sealedJournal, torn[..(torn.Length / 2)]);

        AssertRefused(folder, sealedJournal, "line 2");
    }

    /// <summary>The store's files without the lock, as a crash would leave them.</summary>
    internal static void CopyStoreFiles(TempFolder from, TempFolder to)
    {
        foreach (var file in StoreFilesIn(from))
        {
            File.Copy(file, to.File(Path.GetFileName(file)));
        }
    }

    private static void AssertRefused(TempFolder folder, string journal, params string[] expectedInMessage)
    {
        var files = StoreFilesIn(folder).ToDictionary(file => file, StoreFiles.Sha256);

        var exception = Assert.Throws<TokenStoreLoadException>(() => StoreFiles.Open(folder.TokensFile));

        Assert.That(exception!.Message, Does.Contain($"'{journal}'"));
        foreach (var expected in expectedInMessage)
        {
            Assert.That(exception.Message, Does.Contain(expected));
        }

        Assert.That(StoreFilesIn(folder), Is.EquivalentTo(files.Keys), "no file added or removed");
        foreach (var (file, hash) in files)
        {
            Assert.That(StoreFiles.Sha256(file), Is.EqualTo(hash), file);
        }
    }

    private static IEnumerable<string> StoreFilesIn(TempFolder folder) =>
        Directory.GetFiles(folder.Path, "user_tokens.json*").Where(file => !file.EndsWith(".lock", StringComparison.Ordinal));

    private static void Put(JournalLineWriter lines, long sequence, long userId, StoredGrant grant) =>
        GrantJournal.WritePut(lines, sequence, userId, GrantJsonMapper.ToEntry(userId, grant), more: false);

    private static void WriteJournal(string path, Action<JournalLineWriter> write) => File.WriteAllBytes(path, Bytes(write));

    private static string Line(Action<JournalLineWriter> write) => System.Text.Encoding.UTF8.GetString(Bytes(write));

    private static byte[] Bytes(Action<JournalLineWriter> write)
    {
        var lines = new JournalLineWriter();
        write(lines);
        return lines.Buffer.Written.ToArray();
    }

    private StoredGrant Grant(string token) => new GrantBuilder(cipher).WithAccessToken(token).Build();
}
