using JiraAuthServer.Core.Atlassian;
using JiraAuthServer.Core.Notifications;
using JiraAuthServer.Tests.Support;
using Moq;

namespace JiraAuthServer.Tests.Core;

/// <summary>Which grant changes Core reports to <see cref="IGrantEvents"/>, and how often.</summary>
public sealed class GrantEventTests : RefreshTestFixture
{
    [TestCase("invalid_grant")]
    [TestCase("unauthorized_client")]
    public async Task A_grant_Atlassian_declares_dead_raises_reauthorization_required_once(string error)
    {
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(2)));
        Context.Atlassian.Setup(a => a.RefreshAsync("refresh-1", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new AtlassianException(AtlassianFailureKind.GrantRejected, "dead", 403, error));

        await Context.Service.GetTokenAsync(RefreshTestContext.UserId, CancellationToken.None);
        await Context.Service.GetTokenAsync(RefreshTestContext.UserId, CancellationToken.None);

        Assert.That(Context.Events.Raised, Is.EqualTo(new[]
        {
            new GrantEvent(GrantEventKind.ReauthorizationRequired, RefreshTestContext.UserId, "account-1", RefreshTestContext.Start),
        }));
    }

    [Test]
    public async Task An_expired_grant_without_a_refresh_token_raises_reauthorization_required()
    {
        await Store(new GrantBuilder().WithRefreshToken(string.Empty).ExpiringAt(RefreshTestContext.Start.AddMinutes(-1)));

        await Context.Service.GetTokenAsync(RefreshTestContext.UserId, CancellationToken.None);

        Assert.That(Context.Events.Raised.Select(e => e.Kind), Is.EqualTo(new[] { GrantEventKind.ReauthorizationRequired }));
    }

    [Test]
    public async Task A_passing_outage_raises_nothing()
    {
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(-1)));
        Context.Atlassian.Setup(a => a.RefreshAsync("refresh-1", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new AtlassianException(AtlassianFailureKind.Transient, "down", 503));

        await Context.Service.GetTokenAsync(RefreshTestContext.UserId, CancellationToken.None);

        Assert.That(Context.Events.Raised, Is.Empty);
    }

    [Test]
    public async Task A_successful_refresh_raises_nothing()
    {
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(1)));
        Context.Atlassian.Setup(a => a.RefreshAsync("refresh-1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(RefreshTestContext.Response("access-2", "refresh-2"));

        await Context.Service.GetTokenAsync(RefreshTestContext.UserId, CancellationToken.None);

        Assert.That(Context.Events.Raised, Is.Empty);
    }

    [Test]
    public async Task Revoking_raises_revoked_with_the_account_that_was_connected()
    {
        await Store(new GrantBuilder());
        Context.Clock.Advance(TimeSpan.FromMinutes(1));

        var revoked = await Context.Service.RevokeAsync(RefreshTestContext.UserId, CancellationToken.None);

        Assert.That(revoked, Is.True);
        Assert.That(Context.Events.Raised, Is.EqualTo(new[]
        {
            new GrantEvent(GrantEventKind.Revoked, RefreshTestContext.UserId, "account-1", RefreshTestContext.Start.AddMinutes(1)),
        }));
    }

    [Test]
    public async Task Revoking_an_unknown_user_raises_nothing()
    {
        var revoked = await Context.Service.RevokeAsync(RefreshTestContext.UserId, CancellationToken.None);

        Assert.That(revoked, Is.False);
        Assert.That(Context.Events.Raised, Is.Empty);
    }

    private async Task Store(GrantBuilder builder) =>
        await Context.Repository.SaveAsync(RefreshTestContext.UserId, builder.Build(), CancellationToken.None);
}
