using JiraAuthServer.Core.Atlassian;
using JiraAuthServer.Core.Diagnostics;
using JiraAuthServer.Core.Options;
using JiraAuthServer.Core.Tokens;
using JiraAuthServer.Tests.Fakes;
using JiraAuthServer.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace JiraAuthServer.Tests.Core;

/// <summary>A <see cref="TokenService"/> over an in-memory store, a mocked Atlassian and a fake clock.</summary>
public sealed class RefreshTestContext : IDisposable
{
    public const long UserId = 42;

    public static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public RefreshTestContext(IGrantRefreshLock? refreshLock = null, TokenPolicyOptions? policy = null)
    {
        RefreshLock = refreshLock ?? new InProcessGrantRefreshLock();
        Refresher = new GrantRefresher(Repository, RefreshLock, Cipher, Atlassian.Object, Microsoft.Extensions.Options.Options.Create(policy ?? new TokenPolicyOptions()), Clock, Metrics, Logger, Events);
        Service = new TokenService(Repository, Refresher, Events, Microsoft.Extensions.Options.Options.Create(AtlassianSettings), Clock);
    }

    public FakeTimeProvider Clock { get; } = new(Start);

    public InMemoryTokenRepository Repository { get; } = new();

    public PrefixTestCipher Cipher { get; } = new();

    public IGrantRefreshLock RefreshLock { get; }

    public Mock<IAtlassianClient> Atlassian { get; } = new(MockBehavior.Strict);

    public NoMetrics Metrics { get; } = new();

    public RecordingLogger<GrantRefresher> Logger { get; } = new();

    public AtlassianOptions AtlassianSettings { get; } = new();

    public RecordingGrantEvents Events { get; } = new();

    public GrantRefresher Refresher { get; }

    public TokenService Service { get; }

    public static AtlassianTokenResponse Response(string access, string? refresh) =>
        new(access, refresh, TimeSpan.FromHours(1), "read:jira-work offline_access", "Bearer");

    public void Dispose() => Refresher.Dispose();
}
