using JiraAuthServer.Core.Atlassian;
using JiraAuthServer.Core.Grants;
using JiraAuthServer.Core.KeepAlive;
using JiraAuthServer.Core.Options;
using JiraAuthServer.Core.Storage;
using JiraAuthServer.Core.Tokens;
using JiraAuthServer.Infrastructure.Storage;
using JiraAuthServer.Tests.Fakes;
using JiraAuthServer.Tests.Support;
using JiraAuthServer.Web.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;
using OptionsFactory = Microsoft.Extensions.Options.Options;

namespace JiraAuthServer.Tests.Web;

/// <summary>The hosted loop: when passes run, that they never overlap, and that a failed pass does not end the loop.</summary>
public sealed class KeepAliveServiceTests
{
    private FakeTimeProvider clock = null!;
    private Mock<ITokenRepository> repository = null!;
    private RecordingLogger<KeepAlivePass> passLog = null!;
    private RecordingLogger<KeepAliveService> serviceLog = null!;
    private int listings;

    [SetUp]
    public void SetUp()
    {
        clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        repository = new Mock<ITokenRepository>();
        passLog = new RecordingLogger<KeepAlivePass>();
        serviceLog = new RecordingLogger<KeepAliveService>();
        listings = 0;
        repository.Setup(r => r.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync(() =>
        {
            Interlocked.Increment(ref listings);
            return [];
        });
    }

    [Test]
    public async Task The_first_pass_runs_a_minute_after_start_and_then_one_interval_after_each_pass()
    {
        using var service = CreateService(new SingleProcessKeepAliveGate());
        var started = clock.GetUtcNow();
        await service.StartAsync(CancellationToken.None);

        var first = await clock.AdvanceUntilAsync(() => PassesLogged() == 1, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5));
        var firstAt = clock.GetUtcNow() - started;
        var second = await clock.AdvanceUntilAsync(() => PassesLogged() == 2, TimeSpan.FromMinutes(1), TimeSpan.FromHours(3));
        var secondAt = clock.GetUtcNow() - started;
        await service.StopAsync(CancellationToken.None);

        Assert.That(first && second, Is.True);
        Assert.That(firstAt, Is.InRange(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(80)));
        Assert.That(secondAt - firstAt, Is.InRange(TimeSpan.FromMinutes(60), TimeSpan.FromMinutes(62)));
        Assert.That(passLog.Lines, Has.All.Contains("Keep-alive pass: 0 grants checked"));
    }

    [Test]
    public async Task No_pass_runs_while_another_instance_holds_the_turn()
    {
        var gate = new Mock<IKeepAliveGate>();
        gate.Setup(g => g.TryEnterAsync(It.IsAny<CancellationToken>())).ReturnsAsync((IAsyncDisposable?)null);
        using var service = CreateService(gate.Object);
        await service.StartAsync(CancellationToken.None);

        await clock.AdvanceUntilAsync(() => false, TimeSpan.FromMinutes(30), TimeSpan.FromHours(3));
        await service.StopAsync(CancellationToken.None);

        gate.Verify(g => g.TryEnterAsync(It.IsAny<CancellationToken>()), Times.AtLeast(2));
        Assert.That(listings, Is.Zero);
        Assert.That(passLog.Lines, Is.Empty);
    }

    [Test]
    public async Task A_failed_pass_is_logged_and_the_next_one_runs()
    {
        repository.SetupSequence(r => r.ListAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(new TokenStoreWriteException("store gone"))
            .ReturnsAsync([]);
        using var service = CreateService(new SingleProcessKeepAliveGate());
        await service.StartAsync(CancellationToken.None);

        var recovered = await clock.AdvanceUntilAsync(() => passLog.Lines.Count == 1, TimeSpan.FromMinutes(10), TimeSpan.FromHours(3));
        await service.StopAsync(CancellationToken.None);

        Assert.That(recovered, Is.True);
        Assert.That(serviceLog.Lines, Has.Some.StartsWith("Error: Keep-alive pass failed"));
    }

    private int PassesLogged() => passLog.Lines.Count;

    private KeepAliveService CreateService(IKeepAliveGate gate)
    {
        var keepAlive = OptionsFactory.Create(new KeepAliveOptions());
        var refresher = new GrantRefresher(
            repository.Object,
            new InProcessGrantRefreshLock(),
            new PrefixTestCipher(),
            Mock.Of<IAtlassianClient>(),
            OptionsFactory.Create(new TokenPolicyOptions()),
            clock,
            new NoMetrics(),
            NullLogger<GrantRefresher>.Instance,
            new JiraAuthServer.Core.Notifications.NoGrantEvents());
        var notices = new ReauthorizationNotices(repository.Object, new JiraAuthServer.Core.Notifications.NoGrantEvents(), keepAlive, clock, NullLogger<ReauthorizationNotices>.Instance);
        var pass = new KeepAlivePass(repository.Object, refresher, notices, keepAlive, clock, passLog);
        return new KeepAliveService(pass, gate, keepAlive, clock, serviceLog);
    }
}
