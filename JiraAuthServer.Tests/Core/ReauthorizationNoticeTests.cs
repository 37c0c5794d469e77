using JiraAuthServer.Core.Grants;
using JiraAuthServer.Core.KeepAlive;
using JiraAuthServer.Core.Notifications;
using JiraAuthServer.Core.Options;
using JiraAuthServer.Infrastructure.Storage;
using JiraAuthServer.Tests.Fakes;
using JiraAuthServer.Tests.Support;

namespace JiraAuthServer.Tests.Core;

/// <summary>
/// The re-authorization notice around the store: when the bot cannot take it nothing is marked, and the mark is a
/// conditional write that never overwrites a refresh landing between the read and the mark. (Once per consent, across
/// restarts and on both stores: <c>TokenRepositoryContract.Lifecycle</c>.)
/// </summary>
public sealed class ReauthorizationNoticeTests
{
    private static readonly DateTimeOffset Now = RefreshTestContext.Start;
    private RefreshTestContext context = null!;
    private RecordingLogger<ReauthorizationNotices> logger = null!;

    [SetUp]
    public void SetUp()
    {
        context = new RefreshTestContext();
        logger = new RecordingLogger<ReauthorizationNotices>();
    }

    [TearDown]
    public void TearDown() => context.Dispose();

    [Test]
    public async Task A_notice_no_bot_took_is_not_marked_and_goes_with_the_next_pass()
    {
        await context.Repository.SaveAsync(1, DueGrant(), CancellationToken.None);
        context.Events.Accepts = false;

        Assert.That(await SendAsync(), Is.Zero);
        Assert.That(context.Repository.Peek(1)!.ReauthorizationNoticeSentAt, Is.Null);

        context.Events.Accepts = true;
        Assert.That(await SendAsync(), Is.EqualTo(1));
        Assert.That(context.Repository.Peek(1)!.ReauthorizationNoticeSentAt, Is.EqualTo(Now));
        Assert.That(logger.Lines, Has.Some.StartsWith("Information: Re-authorization notices: 1 sent to the bot for grants ending within 14 days"));
    }

    [Test]
    public async Task The_mark_lands_on_a_refresh_that_came_in_meanwhile_instead_of_overwriting_it()
    {
        await context.Repository.SaveAsync(1, DueGrant(), CancellationToken.None);
        var refreshed = DueGrant() with { EncryptedAccessToken = context.Cipher.Encrypt("access-refreshed"), UpdatedAt = Now };
        context.Repository.BeforeNextReplace = () => context.Repository.SaveAsync(1, refreshed, CancellationToken.None);

        Assert.That(await SendAsync(), Is.EqualTo(1));

        var stored = context.Repository.Peek(1)!;
        Assert.That(context.Cipher.Decrypt(stored.EncryptedAccessToken), Is.EqualTo("access-refreshed"));
        Assert.That(stored.ReauthorizationNoticeSentAt, Is.EqualTo(Now));
        Assert.That(context.Events.Raised, Has.Count.EqualTo(1), "one notice, however many tries the mark took");
        Assert.That(context.Events.Raised[0].Kind, Is.EqualTo(GrantEventKind.ReauthorizationDue));
    }

    [Test]
    public async Task A_store_that_cannot_write_stops_the_notices_without_failing_the_pass_and_the_next_pass_marks()
    {
        await context.Repository.SaveAsync(1, DueGrant(), CancellationToken.None);
        context.Repository.FailWrites = new TokenStoreWriteException("disk full");

        Assert.That(await SendAsync(), Is.Zero);
        Assert.That(logger.Lines, Has.Some.StartsWith("Warning: Re-authorization notices stopped at user 1 (0 sent): the token store failed"));

        context.Repository.FailWrites = null;
        Assert.That(await SendAsync(), Is.EqualTo(1));
        Assert.That(context.Repository.Peek(1)!.ReauthorizationNoticeSentAt, Is.EqualTo(Now));
    }

    [Test]
    public void Due_exactly_REAUTH_NOTICE_BEFORE_ahead_and_after_the_date_too_until_sent()
    {
        var notices = Create(TimeSpan.FromDays(30));
        var grant = DueGrant() with { ConsentedAt = Now.AddDays(-335) };

        Assert.That(notices.IsDue(grant, Now), Is.True, "365 - 335 = 30 days ahead");
        Assert.That(notices.IsDue(grant, Now.AddSeconds(-1)), Is.False);
        Assert.That(notices.IsDue(grant, Now.AddDays(60)), Is.True, "a grant past its date still working has not been told");
        Assert.That(notices.IsDue(grant with { ReauthorizationNoticeSentAt = Now }, Now), Is.False);
        Assert.That(notices.IsDue(grant with { ReauthorizationNoticeSentAt = Now.AddDays(-336) }, Now), Is.True, "a notice from before this consent belongs to another one");
    }

    private async Task<int> SendAsync() =>
        await Create(TimeSpan.FromDays(14)).SendDueAsync(await context.Repository.ListAsync(CancellationToken.None), CancellationToken.None);

    private ReauthorizationNotices Create(TimeSpan before) =>
        new(context.Repository, context.Events, Microsoft.Extensions.Options.Options.Create(new KeepAliveOptions { ReauthorizationNoticeBefore = before }), context.Clock, logger);

    private static StoredGrant DueGrant() => new GrantBuilder().Build() with { ConsentedAt = Now.AddDays(-360), CreatedAt = Now.AddDays(-360) };
}
