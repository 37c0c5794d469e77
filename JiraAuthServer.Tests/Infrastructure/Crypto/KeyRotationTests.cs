using JiraAuthServer.Core.Grants;
using JiraAuthServer.Infrastructure.Crypto;

namespace JiraAuthServer.Tests.Infrastructure.Crypto;

/// <summary>What <c>rotate-keys</c> plans for each grant: rewrite it under the first key, leave it, or report it.</summary>
public sealed class KeyRotationTests
{
    private static readonly DateTimeOffset Expires = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly long[] OnlyUserFour = [4];
    private readonly FernetTokenCipher newKey = FernetTestKeys.CipherFor(FernetKey.Generate());
    private readonly FernetTokenCipher oldKey = FernetTestKeys.CipherFor(FernetKey.Generate());
    private readonly FernetTokenCipher foreignKey = FernetTestKeys.CipherFor(FernetKey.Generate());

    [Test]
    public void Grants_with_a_token_of_an_older_key_are_rewritten_the_rest_left_or_reported()
    {
        var ring = new FernetTokenCipher(new FernetKeyRing([newKey.Keys.Primary, oldKey.Keys.Primary]));
        var grants = new List<KeyValuePair<long, StoredGrant>>
        {
            new(1, Grant(oldKey.Encrypt("access-1"), oldKey.Encrypt("refresh-1"))),
            new(2, Grant(newKey.Encrypt("access-2"), newKey.Encrypt("refresh-2"))),
            new(3, Grant(newKey.Encrypt("access-3"), oldKey.Encrypt("refresh-3"))),
            new(4, Grant(newKey.Encrypt("access-4"), foreignKey.Encrypt("refresh-4"))),
            new(5, Grant(oldKey.Encrypt("access-5"), string.Empty)),
        };
        var oldTimestamp = FernetTestKeys.TimestampOf(grants[0].Value.EncryptedAccessToken);

        var (rotated, result) = KeyRotation.Plan(grants, ring);

        var byUser = rotated.ToDictionary(pair => pair.Key, pair => pair.Value);
        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(new KeyRotationResult(5, 3, 1, OnlyUserFour)).Using<KeyRotationResult>(SameCounts));
            Assert.That(result.Unreadable, Is.EqualTo(OnlyUserFour));
            Assert.That(byUser.Keys, Is.EquivalentTo(new long[] { 1, 3, 5 }));
            foreach (var (userId, grant) in byUser)
            {
                Assert.That(newKey.Decrypt(grant.EncryptedAccessToken), Is.EqualTo($"access-{userId}"), "the new key alone opens it");
                Assert.That(grant with { EncryptedAccessToken = "", EncryptedRefreshToken = "" }, Is.EqualTo(grants[(int)userId - 1].Value with { EncryptedAccessToken = "", EncryptedRefreshToken = "" }));
            }

            Assert.That(newKey.Decrypt(byUser[1].EncryptedRefreshToken), Is.EqualTo("refresh-1"));
            Assert.That(newKey.Decrypt(byUser[3].EncryptedRefreshToken), Is.EqualTo("refresh-3"));
            Assert.That(byUser[5].EncryptedRefreshToken, Is.Empty, "no refresh token stays none");
            Assert.That(FernetTestKeys.TimestampOf(byUser[1].EncryptedAccessToken), Is.EqualTo(oldTimestamp), "the original time is kept");
        });
    }

    [Test]
    public async Task A_rotation_reports_its_progress_step_by_step_and_counts_every_grant()
    {
        var ring = new FernetTokenCipher(new FernetKeyRing([newKey.Keys.Primary, oldKey.Keys.Primary]));
        var repository = new Support.InMemoryTokenRepository();
        var total = (2 * KeyRotation.ChunkSize) + 7;
        var grants = Enumerable.Range(1, total)
            .Select(user => KeyValuePair.Create((long)user, Grant((user % 2 == 0 ? newKey : oldKey).Encrypt($"access-{user}"), string.Empty)))
            .ToList();
        await repository.SaveManyAsync(grants, CancellationToken.None);
        var progress = new Support.RecordingProgress();

        var result = await KeyRotation.RotateAsync(repository, ring, progress, CancellationToken.None);

        Assert.That(progress.Reports.Select(report => report.Done), Is.EqualTo(new[] { 0, KeyRotation.ChunkSize, 2 * KeyRotation.ChunkSize, total }));
        Assert.That(progress.Reports.Select(report => report.Total), Is.All.EqualTo(total));
        Assert.That((result.Total, result.Rewritten, result.AlreadyCurrent), Is.EqualTo((total, (total + 1) / 2, total / 2)));
        Assert.That(newKey.Decrypt((await repository.GetAsync(total, CancellationToken.None))!.EncryptedAccessToken), Is.EqualTo($"access-{total}"));
    }

    private static bool SameCounts(KeyRotationResult left, KeyRotationResult right) =>
        (left.Total, left.Rewritten, left.AlreadyCurrent) == (right.Total, right.Rewritten, right.AlreadyCurrent);

    private static StoredGrant Grant(string access, string refresh) =>
        new() { EncryptedAccessToken = access, EncryptedRefreshToken = refresh, ExpiresAt = Expires, JiraAccountId = "account" };
}
