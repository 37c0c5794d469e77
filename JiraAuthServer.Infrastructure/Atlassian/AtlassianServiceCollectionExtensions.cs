using JiraAuthServer.Core.Atlassian;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace JiraAuthServer.Infrastructure.Atlassian;

public static class AtlassianServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="AtlassianClient"/> as the typed client behind <see cref="IAtlassianClient"/>. Binding and
    /// validating <c>AtlassianOptions</c> is the caller's part.
    /// </summary>
    public static IHttpClientBuilder AddAtlassianClient(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        return services
            .AddHttpClient<IAtlassianClient, AtlassianClient>(client => client.Timeout = Timeout.InfiniteTimeSpan)
            // A redirect from a token endpoint is an answer to classify, not one to follow with the secret in the body.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
    }
}
