using JiraAuthServer.Core.Grants;
using JiraAuthServer.Core.KeepAlive;
using JiraAuthServer.Core.Notifications;
using JiraAuthServer.Core.Options;
using JiraAuthServer.Core.Storage;
using JiraAuthServer.Tests.Fakes;
using JiraAuthServer.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace JiraAuthServer.Tests.Infrastructure.Storage;

/// <summary>
/// The grant's yearly end on every store: the consent is kept in the record, the due date counts from it (or from
/// <c>created_at</c>), and the re-authorization notice is remembered in the record, so a restarted server (a new store
/// instance on the same file or database) does not send it again.
/// </summary>
public abstract partial class TokenRepositoryContract
{
    private static readonly DateTimeOffset LifecycleStart = new(2027, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task A_reauthorization_notice_goes_once_REAUTH_NOTICE_BEFORE_ahead_and_not_again_after_a_restart()
    {
        var clock = new FakeTimeProvider(LifecycleStart);
        var repository = await OpenAsync();
        await repository.SaveAsync(1, Consented(consentedAt: LifecycleStart.AddDays(-351)), None);
        await repository.SaveAsync(2, Consented(consentedAt: LifecycleStart.AddDays(-350)), None);
        await repository.SaveAsync(3, Consented(consentedAt: null, createdAt: LifecycleStart.AddDays(-352)), None);
        await repository.SaveAsync(4, Consented(consentedAt: null, createdAt: null), None);
        await repository.SaveAsync(5, Consented(consentedAt: LifecycleStart.AddDays(-360)) with { ReauthorizationRequiredAt = LifecycleStart.AddDays(-1) }, None);
        var events = new RecordingGrantEvents();

        Assert.That(await NoticesOn(repository, events, clock).SendDueAsync(await repository.ListAsync(None), None), Is.EqualTo(2));
        Assert.That(events.Raised.OrderBy(e => e.TelegramUserId), Is.EqualTo(new[]
        {
            new GrantEvent(GrantEventKind.ReauthorizationDue, 1, "account-1", LifecycleStart, LifecycleStart.AddDays(14)),
            new GrantEvent(GrantEventKind.ReauthorizationDue, 3, "account-1", LifecycleStart, LifecycleStart.AddDays(13)),
        }), "14 days ahead, from consented_at or else created_at; not 15 days ahead, not without either, not for a dead grant");

        Assert.That(await NoticesOn(repository, events, clock).SendDueAsync(await repository.ListAsync(None), None), Is.Zero, "the next pass");
        var reopened = await ReopenAsync(repository);
        Assert.That(await NoticesOn(reopened, events, clock).SendDueAsync(await reopened.ListAsync(None), None), Is.Zero, "after a restart");
        Assert.That((await reopened.GetAsync(1, None))!.ReauthorizationNoticeSentAt, Is.EqualTo(LifecycleStart));
        Assert.That((await reopened.GetAsync(2, None))!.ReauthorizationNoticeSentAt, Is.Null);

        clock.Advance(TimeSpan.FromDays(1));
        Assert.That(await NoticesOn(reopened, events, clock).SendDueAsync(await reopened.ListAsync(None), None), Is.EqualTo(1));
        Assert.That(events.Raised.Select(e => e.TelegramUserId), Is.EqualTo(new long[] { 1, 3, 2 }).Or.EqualTo(new long[] { 3, 1, 2 }));
    }

    [Test]
    public async Task A_new_consent_is_announced_again_and_a_refresh_keeps_the_consent_and_its_notice()
    {
        var clock = new FakeTimeProvider(LifecycleStart);
        var repository = await OpenAsync();
        await repository.SaveAsync(1, Consented(consentedAt: LifecycleStart.AddDays(-355)), None);
        var events = new RecordingGrantEvents();
        await NoticesOn(repository, events, clock).SendDueAsync(await repository.ListAsync(None), None);

        var noticed = (await repository.GetAsync(1, None))!;
        var refreshed = noticed with { EncryptedAccessToken = Cipher.Encrypt("access-2"), UpdatedAt = LifecycleStart.AddHours(1) };
        Assert.That(await repository.ReplaceAsync(1, noticed, refreshed, None), Is.True);
        repository = await ReopenAsync(repository);
        Assert.That(await NoticesOn(repository, events, clock).SendDueAsync(await repository.ListAsync(None), None), Is.Zero, "a refresh is not a new consent");
        Assert.That((await repository.GetAsync(1, None))!.ConsentedAt, Is.EqualTo(LifecycleStart.AddDays(-355)));

        clock.Advance(TimeSpan.FromDays(2));
        await repository.SaveAsync(1, Consented(consentedAt: clock.GetUtcNow()), None);
        Assert.That(await NoticesOn(repository, events, clock).SendDueAsync(await repository.ListAsync(None), None), Is.Zero, "a fresh consent is a year away");
        clock.Advance(TimeSpan.FromDays(351));
        Assert.That(await NoticesOn(repository, events, clock).SendDueAsync(await repository.ListAsync(None), None), Is.EqualTo(1));
        Assert.That(events.Raised.Select(e => e.ReauthorizationDueAt), Is.EqualTo(new DateTimeOffset?[] { LifecycleStart.AddDays(10), LifecycleStart.AddDays(367) }));
    }

    [Test]
    public async Task The_due_date_counts_from_the_consent_else_from_created_at_else_is_unknown()
    {
        var repository = await OpenAsync();
        await repository.SaveAsync(1, Consented(consentedAt: LifecycleStart, createdAt: LifecycleStart.AddDays(-100)), None);
        await repository.SaveAsync(2, Consented(consentedAt: null, createdAt: LifecycleStart.AddDays(-100)), None);
        await repository.SaveAsync(3, Consented(consentedAt: null, createdAt: null), None);

        var reopened = await ReopenAsync(repository);

        Assert.That((await reopened.GetAsync(1, None))!.ReauthorizationDueAt, Is.EqualTo(LifecycleStart.AddDays(365)));
        Assert.That((await reopened.GetAsync(2, None))!.ReauthorizationDueAt, Is.EqualTo(LifecycleStart.AddDays(265)));
        Assert.That((await reopened.GetAsync(3, None))!.ReauthorizationDueAt, Is.Null);
        Assert.That((await reopened.GetAsync(2, None))!.ConsentedAt, Is.Null, "nothing is invented for an older record");
    }

    private static ReauthorizationNotices NoticesOn(ITokenRepository repository, IGrantEvents events, TimeProvider clock) =>
        new(repository, events, Microsoft.Extensions.Options.Options.Create(new KeepAliveOptions()), clock, new RecordingLogger<ReauthorizationNotices>());

    private StoredGrant Consented(DateTimeOffset? consentedAt, DateTimeOffset? createdAt = null) =>
        new GrantBuilder(Cipher).ExpiringAt(LifecycleStart.AddHours(1)).Build() with
        {
            ConsentedAt = consentedAt,
            CreatedAt = createdAt ?? consentedAt,
            UpdatedAt = consentedAt ?? createdAt,
        };
}
