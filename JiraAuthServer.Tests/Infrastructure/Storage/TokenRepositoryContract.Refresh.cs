using JiraAuthServer.Core.Atlassian;
using JiraAuthServer.Core.Grants;
using JiraAuthServer.Core.Options;
using JiraAuthServer.Core.Storage;
using JiraAuthServer.Core.Tokens;
using JiraAuthServer.Tests.Fakes;
using JiraAuthServer.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace JiraAuthServer.Tests.Infrastructure.Storage;

/// <summary>
/// The refresh paths of <see cref="GrantRefresher"/> that compare what they read with what is stored, run on each
/// real store: the in-memory test store returns the same object on every read, a database a new one.
/// </summary>
public abstract partial class TokenRepositoryContract
{
    private const long RefreshingUser = 42;
    private static readonly DateTimeOffset RefreshStart = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Makes every following write of grants fail as the store fails in production (a <see cref="TokenStoreException"/>).</summary>
    protected abstract Task BreakWritesAsync(ITokenRepository repository);

    /// <summary>Undoes <see cref="BreakWritesAsync"/>.</summary>
    protected abstract Task RepairWritesAsync(ITokenRepository repository);

    [Test]
    public async Task A_refresh_the_store_did_not_take_is_stored_once_it_works_again_without_a_second_Atlassian_call()
    {
        var repository = await OpenAsync();
        await repository.SaveAsync(RefreshingUser, new GrantBuilder(Cipher).ExpiringAt(RefreshStart.AddMinutes(2)).Build(), None);
        using var refresh = new RefreshOver(repository, Cipher);
        refresh.Atlassian.Setup(a => a.RefreshAsync("refresh-1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(Response("access-2", "refresh-2"));

        await BreakWritesAsync(repository);
        var failed = await refresh.Service.GetTokenAsync(RefreshingUser, None).WaitAsync(TimeSpan.FromSeconds(30));
        var keptWhileBroken = await refresh.AdvanceUntilStoredAsync(repository, "refresh-2", TimeSpan.FromSeconds(4));
        await RepairWritesAsync(repository);
        var stored = await refresh.AdvanceUntilStoredAsync(repository, "refresh-2", TimeSpan.FromMinutes(1));
        var next = await refresh.Service.GetTokenAsync(RefreshingUser, None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.That(failed.Status, Is.EqualTo(TokenLookupStatus.StoreUnavailable), "the break took effect");
        Assert.That(keptWhileBroken, Is.False);
        Assert.That(stored, Is.True, "stored in the background once the store works, with no request");
        Assert.That(next.AccessToken, Is.EqualTo("access-2"));
        refresh.Atlassian.Verify(a => a.RefreshAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once());
        Assert.That(RefreshTokenOf(await (await ReopenAsync(repository)).GetAsync(RefreshingUser, None)), Is.EqualTo("refresh-2"), "durably");
    }

    [Test]
    public async Task After_a_transient_Atlassian_failure_the_refresher_retries_by_itself_and_stores_the_answer()
    {
        var repository = await OpenAsync();
        await repository.SaveAsync(RefreshingUser, new GrantBuilder(Cipher).ExpiringAt(RefreshStart.AddMinutes(3)).Build(), None);
        using var refresh = new RefreshOver(repository, Cipher);
        refresh.Atlassian.SetupSequence(a => a.RefreshAsync("refresh-1", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new AtlassianException(AtlassianFailureKind.Transient, "Atlassian did not answer within 10 s"))
            .ReturnsAsync(Response("access-2", "refresh-2"));

        var first = await refresh.Service.GetTokenAsync(RefreshingUser, None).WaitAsync(TimeSpan.FromSeconds(30));
        var retried = await refresh.AdvanceUntilStoredAsync(repository, "refresh-2", TimeSpan.FromMinutes(1));

        Assert.That(first.RefreshOutcome, Is.EqualTo(RefreshOutcome.Transient));
        Assert.That(retried, Is.True, "no request came, yet the follow-up refreshed and stored the grant");
        refresh.Atlassian.Verify(a => a.RefreshAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    private static AtlassianTokenResponse Response(string access, string? refresh) =>
        new(access, refresh, TimeSpan.FromHours(1), "read:jira-work offline_access", "Bearer");

    private string? RefreshTokenOf(StoredGrant? grant) => grant is null ? null : Cipher.Decrypt(grant.EncryptedRefreshToken);

    /// <summary>The real refresher and token service over the store under test, with a mocked Atlassian and a fake clock.</summary>
    private sealed class RefreshOver : IDisposable
    {
        private readonly PrefixTestCipher cipher;

        public RefreshOver(ITokenRepository repository, PrefixTestCipher cipher)
        {
            this.cipher = cipher;
            Refresher = new GrantRefresher(repository, new InProcessGrantRefreshLock(), cipher, Atlassian.Object, Microsoft.Extensions.Options.Options.Create(new TokenPolicyOptions()), Clock, new NoMetrics(), new RecordingLogger<GrantRefresher>(), Events);
            Service = new TokenService(repository, Refresher, Events, Microsoft.Extensions.Options.Options.Create(new AtlassianOptions()), Clock);
        }

        public FakeTimeProvider Clock { get; } = new(RefreshStart);

        public Mock<IAtlassianClient> Atlassian { get; } = new(MockBehavior.Strict);

        public RecordingGrantEvents Events { get; } = new();

        public GrantRefresher Refresher { get; }

        public TokenService Service { get; }

        /// <summary>Moves the fake clock on in small steps, reading the store itself after each, until it holds the refresh token.</summary>
        public async Task<bool> AdvanceUntilStoredAsync(ITokenRepository repository, string refreshToken, TimeSpan limit)
        {
            var until = Clock.GetUtcNow() + limit;
            var realUntil = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (true)
            {
                if (await repository.GetAsync(RefreshingUser, None) is { } grant && cipher.Decrypt(grant.EncryptedRefreshToken) == refreshToken)
                {
                    return true;
                }

                if (Clock.GetUtcNow() >= until || DateTime.UtcNow > realUntil)
                {
                    return false;
                }

                Clock.Advance(TimeSpan.FromMilliseconds(250));
                await Task.Delay(20);
            }
        }

        public void Dispose() => Refresher.Dispose();
    }
}
