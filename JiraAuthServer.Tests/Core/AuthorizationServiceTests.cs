using JiraAuthServer.Core.Atlassian;
using JiraAuthServer.Core.Authorization;
using JiraAuthServer.Core.Diagnostics;
using JiraAuthServer.Core.Grants;
using JiraAuthServer.Core.Notifications;
using JiraAuthServer.Core.Options;
using JiraAuthServer.Tests.Fakes;
using JiraAuthServer.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace JiraAuthServer.Tests.Core;

public sealed class AuthorizationServiceTests
{
    private const long UserId = 1001;
    private static readonly JiraSite JiraSite = new("cloud-1", "https://example.atlassian.net", "example", ["read:jira-work", "write:jira-work"]);
    private static readonly JiraSite ConfluenceSite = new("cloud-c", "https://wiki.atlassian.net", "wiki", ["read:confluence-content.all"]);

    private FakeTimeProvider clock = null!;
    private AtlassianOptions settings = null!;
    private Mock<IAtlassianClient> atlassian = null!;
    private InMemoryTokenRepository repository = null!;
    private NoMetrics metrics = null!;
    private RecordingGrantEvents events = null!;
    private AuthorizationService service = null!;

    [SetUp]
    public void SetUp()
    {
        clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
        settings = new AtlassianOptions { ClientId = "client-id", ClientSecret = "secret", RedirectUri = "https://bot.example.com/auth/callback" };
        atlassian = new Mock<IAtlassianClient>(MockBehavior.Strict);
        repository = new InMemoryTokenRepository();
        metrics = new NoMetrics();
        events = new RecordingGrantEvents();
        service = new AuthorizationService(
            atlassian.Object,
            repository,
            new PrefixTestCipher(),
            new InMemoryAuthStateStore(clock),
            Microsoft.Extensions.Options.Options.Create(settings),
            Microsoft.Extensions.Options.Options.Create(new TokenPolicyOptions()),
            clock,
            metrics,
            NullLogger<AuthorizationService>.Instance,
            events);
    }

    [Test]
    public async Task The_link_carries_every_parameter_Atlassian_needs_and_an_opaque_random_state()
    {
        var link = await service.StartAsync(UserId, CancellationToken.None);
        var other = await service.StartAsync(UserId, CancellationToken.None);

        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(link.AuthUrl).Query);
        Assert.That(link.AuthUrl, Does.StartWith("https://auth.atlassian.com/authorize?"));
        Assert.That(query["audience"].ToString(), Is.EqualTo("api.atlassian.com"));
        Assert.That(query["client_id"].ToString(), Is.EqualTo("client-id"));
        Assert.That(query["scope"].ToString(), Is.EqualTo("read:jira-work read:jira-user write:jira-work offline_access"));
        Assert.That(query["redirect_uri"].ToString(), Is.EqualTo("https://bot.example.com/auth/callback"));
        Assert.That(query["response_type"].ToString(), Is.EqualTo("code"));
        Assert.That(query["prompt"].ToString(), Is.EqualTo("consent"));
        Assert.That(query["state"].ToString(), Is.EqualTo(link.State));
        Assert.That(link.State, Has.Length.GreaterThanOrEqualTo(22), "at least 128 bits");
        Assert.That(link.State, Does.Not.Contain(UserId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(other.State, Is.Not.EqualTo(link.State));
    }

    [Test]
    public async Task A_valid_callback_stores_the_encrypted_grant_with_identity_and_site()
    {
        var link = await service.StartAsync(UserId, CancellationToken.None);
        SetUpAtlassian([ConfluenceSite, JiraSite]);

        var result = await service.CompleteAsync(new CallbackRequest("code-1", link.State, null), CancellationToken.None);

        var grant = (await repository.GetAsync(UserId, CancellationToken.None))!;
        Assert.That(result.Succeeded, Is.True);
        Assert.That(result.Site, Is.EqualTo(JiraSite), "the first site with Jira scopes, not the first site");
        Assert.That(grant.EncryptedAccessToken, Is.EqualTo("enc:access-1"));
        Assert.That(grant.EncryptedRefreshToken, Is.EqualTo("enc:refresh-1"));
        Assert.That(grant.ExpiresAt, Is.EqualTo(clock.GetUtcNow().AddHours(1)));
        Assert.That(grant.JiraAccountId, Is.EqualTo("acc-1"));
        Assert.That(grant.JiraEmail, Is.EqualTo("ann@example.com"));
        Assert.That(grant.JiraCloudId, Is.EqualTo("cloud-1"));
        Assert.That(grant.JiraSiteUrl, Is.EqualTo("https://example.atlassian.net"));
        Assert.That(grant.CreatedAt, Is.EqualTo(clock.GetUtcNow()));
        Assert.That(grant.JiraSites, Is.EqualTo(new[] { ConfluenceSite, JiraSite }), "every accessible site is kept, in Atlassian's order");
    }

    [Test]
    public async Task A_completed_authorization_raises_one_authorized_event_after_the_grant_is_stored()
    {
        var link = await service.StartAsync(UserId, CancellationToken.None);
        SetUpAtlassian([JiraSite]);

        await service.CompleteAsync(new CallbackRequest("code-1", link.State, null), CancellationToken.None);

        Assert.That(events.Raised, Is.EqualTo(new[] { new GrantEvent(GrantEventKind.Authorized, UserId, "acc-1", clock.GetUtcNow()) }));
        Assert.That(repository.Saves, Is.EqualTo(1));
    }

    [TestCase(null, "access_denied")]
    [TestCase(null, null)]
    public async Task A_failed_callback_raises_no_event(string? code, string? error)
    {
        var link = await service.StartAsync(UserId, CancellationToken.None);

        await service.CompleteAsync(new CallbackRequest(code, link.State, error), CancellationToken.None);

        Assert.That(events.Raised, Is.Empty);
    }

    [Test]
    public async Task A_forged_state_is_refused_before_the_code_is_exchanged()
    {
        var result = await service.CompleteAsync(new CallbackRequest("code-1", "telegram_user_" + UserId, null), CancellationToken.None);

        Assert.That(result.Failure, Is.EqualTo(CallbackFailure.InvalidState));
        atlassian.VerifyNoOtherCalls();
        Assert.That(repository.Saves, Is.Zero);
    }

    [Test]
    public async Task A_state_works_once_even_with_a_fresh_code()
    {
        var link = await service.StartAsync(UserId, CancellationToken.None);
        SetUpAtlassian([JiraSite]);
        await service.CompleteAsync(new CallbackRequest("code-1", link.State, null), CancellationToken.None);

        var replay = await service.CompleteAsync(new CallbackRequest("code-2", link.State, null), CancellationToken.None);

        Assert.That(replay.Failure, Is.EqualTo(CallbackFailure.InvalidState));
        atlassian.Verify(a => a.ExchangeCodeAsync("code-2", It.IsAny<CancellationToken>()), Times.Never());
    }

    [Test]
    public async Task A_state_completes_only_for_the_user_it_was_issued_for()
    {
        const long otherUser = 2002;
        var mine = await service.StartAsync(UserId, CancellationToken.None);
        await service.StartAsync(otherUser, CancellationToken.None);
        SetUpAtlassian([JiraSite]);

        var result = await service.CompleteAsync(new CallbackRequest("code-1", mine.State, null), CancellationToken.None);

        Assert.That(result.TelegramUserId, Is.EqualTo(UserId));
        Assert.That(await repository.GetAsync(UserId, CancellationToken.None), Is.Not.Null);
        Assert.That(await repository.GetAsync(otherUser, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task A_rejected_state_is_logged_once_with_the_client_address_and_never_the_state_or_code()
    {
        var logger = new RecordingLogger<AuthorizationService>();
        var audited = new AuthorizationService(
            atlassian.Object, repository, new PrefixTestCipher(), new InMemoryAuthStateStore(clock),
            Microsoft.Extensions.Options.Options.Create(settings), Microsoft.Extensions.Options.Options.Create(new TokenPolicyOptions()),
            clock, metrics, logger, new RecordingGrantEvents());

        await audited.CompleteAsync(new CallbackRequest("secret-code-77", "forged-state-88", null) { ClientAddress = "198.51.100.4" }, CancellationToken.None);

        Assert.That(logger.Lines, Has.Count.EqualTo(1));
        Assert.That(logger.Lines[0], Does.Contain("Rejected authorization state from 198.51.100.4: InvalidState"));
        Assert.That(logger.Lines[0], Does.Not.Contain("secret-code-77").And.Not.Contain("forged-state-88"));
    }

    [Test]
    public async Task An_expired_state_is_refused_before_the_code_is_exchanged()
    {
        var link = await service.StartAsync(UserId, CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(15));

        var result = await service.CompleteAsync(new CallbackRequest("code-1", link.State, null), CancellationToken.None);

        Assert.That(result.Failure, Is.EqualTo(CallbackFailure.StateExpiredOrUsed));
        atlassian.VerifyNoOtherCalls();
    }

    [Test]
    public async Task Declining_at_Atlassian_stores_nothing()
    {
        var link = await service.StartAsync(UserId, CancellationToken.None);

        var result = await service.CompleteAsync(new CallbackRequest(null, link.State, "access_denied"), CancellationToken.None);

        Assert.That(result.Failure, Is.EqualTo(CallbackFailure.Declined));
        Assert.That(repository.Saves, Is.Zero);
    }

    [Test]
    public async Task A_callback_without_code_stores_nothing()
    {
        var link = await service.StartAsync(UserId, CancellationToken.None);

        var result = await service.CompleteAsync(new CallbackRequest(null, link.State, null), CancellationToken.None);

        Assert.That(result.Failure, Is.EqualTo(CallbackFailure.MissingCode));
        Assert.That(repository.Saves, Is.Zero);
    }

    [TestCase(AtlassianFailureKind.Transient, CallbackFailure.AtlassianUnavailable)]
    [TestCase(AtlassianFailureKind.Rejected, CallbackFailure.AtlassianUnavailable)]
    [TestCase(AtlassianFailureKind.GrantRejected, CallbackFailure.CodeRejected)]
    public async Task A_failed_code_exchange_stores_nothing(AtlassianFailureKind kind, CallbackFailure expected)
    {
        var link = await service.StartAsync(UserId, CancellationToken.None);
        atlassian.Setup(a => a.ExchangeCodeAsync("code-1", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new AtlassianException(kind, "failed", 500));

        var result = await service.CompleteAsync(new CallbackRequest("code-1", link.State, null), CancellationToken.None);

        Assert.That(result.Failure, Is.EqualTo(expected));
        Assert.That(repository.Saves, Is.Zero);
    }

    [Test]
    public async Task A_configured_site_the_user_cannot_reach_stores_nothing()
    {
        settings.SiteUrl = "https://other.atlassian.net/";
        var link = await service.StartAsync(UserId, CancellationToken.None);
        SetUpAtlassian([JiraSite]);

        var result = await service.CompleteAsync(new CallbackRequest("code-1", link.State, null), CancellationToken.None);

        Assert.That(result.Failure, Is.EqualTo(CallbackFailure.SiteNotAccessible));
        Assert.That(repository.Saves, Is.Zero);
        Assert.That(events.Raised, Is.Empty);
    }

    [Test]
    public async Task A_configured_site_is_chosen_among_several()
    {
        var second = JiraSite with { CloudId = "cloud-2", Url = "https://second.atlassian.net" };
        settings.SiteUrl = "https://SECOND.atlassian.net/";
        var link = await service.StartAsync(UserId, CancellationToken.None);
        SetUpAtlassian([JiraSite, second]);

        var result = await service.CompleteAsync(new CallbackRequest("code-1", link.State, null), CancellationToken.None);

        Assert.That(result.Site, Is.EqualTo(second));
    }

    [Test]
    public async Task An_account_without_any_Jira_site_stores_nothing()
    {
        var link = await service.StartAsync(UserId, CancellationToken.None);
        SetUpAtlassian([ConfluenceSite]);

        var result = await service.CompleteAsync(new CallbackRequest("code-1", link.State, null), CancellationToken.None);

        Assert.That(result.Failure, Is.EqualTo(CallbackFailure.NoJiraSite));
        Assert.That(repository.Saves, Is.Zero);
    }

    private void SetUpAtlassian(IReadOnlyList<JiraSite> sites)
    {
        atlassian.Setup(a => a.ExchangeCodeAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new AtlassianTokenResponse("access-1", "refresh-1", TimeSpan.FromHours(1), "read:jira-work offline_access", "Bearer"));
        atlassian.Setup(a => a.GetAccessibleResourcesAsync("access-1", It.IsAny<CancellationToken>())).ReturnsAsync(sites);
        atlassian.Setup(a => a.GetMyselfAsync("access-1", It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new JiraIdentity("acc-1", "ann@example.com", "Ann"));
    }
}
