using JiraAuthServer.Core.Authorization;
using JiraAuthServer.Core.KeepAlive;
using JiraAuthServer.Core.Notifications;
using JiraAuthServer.Core.Tokens;
using JiraAuthServer.Core.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace JiraAuthServer.Core;

public static class DependencyInjection
{
    public static IServiceCollection AddCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IGrantEvents, NoGrantEvents>();
        services.TryAddSingleton<IGrantRefreshLock, InProcessGrantRefreshLock>();
        services.AddSingleton<GrantRefresher>();
        services.AddSingleton<TokenService>();
        services.AddSingleton<AuthorizationService>();
        services.AddSingleton<ReauthorizationNotices>();
        services.AddSingleton<KeepAlivePass>();
        services.AddSingleton<ConnectedUsers>();
        return services;
    }
}
