using JiraAuthServer.Core.Authorization;
using JiraAuthServer.Core.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace JiraAuthServer.Core;

public static class DependencyInjection
{
    public static IServiceCollection AddCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IGrantRefreshLock, InProcessGrantRefreshLock>();
        services.TryAddSingleton<IKeepAlivePassLock, InProcessKeepAlivePassLock>();
        services.AddSingleton<GrantRefresher>();
        services.AddSingleton<TokenService>();
        services.AddSingleton<AuthorizationService>();
        return services;
    }
}
