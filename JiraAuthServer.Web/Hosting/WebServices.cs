using JiraAuthServer.Core.Options;
using JiraAuthServer.Web.Configuration;
using JiraAuthServer.Web.Diagnostics;
using JiraAuthServer.Web.JiraProxy;
using JiraAuthServer.Web.Health;
using JiraAuthServer.Web.Localization;
using JiraAuthServer.Web.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace JiraAuthServer.Web.Hosting;

/// <summary>Everything the HTTP side needs: settings, controllers and views, API-key auth, Swagger.</summary>
public static class WebServices
{
    public static IServiceCollection AddServerSettings(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AtlassianOptions>().Configure(options => SettingsBinder.BindAtlassian(options, configuration)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AtlassianOptions>, SettingsValidator>();
        services.AddOptions<TokenPolicyOptions>().Configure(options => SettingsBinder.BindTokenPolicy(options, configuration));
        services.AddOptions<JiraProxyOptions>().Configure(options => SettingsBinder.BindJiraProxy(options, configuration));
        services.AddOptions<KeepAliveOptions>().Configure(options => SettingsBinder.BindKeepAlive(options, configuration));
        services.AddOptions<ApiKeyOptions>().Configure(options => SettingsBinder.BindApiKey(options, configuration));
        services.AddOptions<RateLimitOptions>().Configure(options => SecuritySettings.BindRateLimits(options, configuration));
        services.AddOptions<NetworkOptions>().Configure(options => SecuritySettings.BindNetwork(options, configuration));
        return services;
    }

    public static IServiceCollection AddWebApi(this IServiceCollection services)
    {
        services.AddControllersWithViews(LeanMvc.Configure)
            .AddNewtonsoftJson()
            .ConfigureApiBehaviorOptions(options => options.SuppressModelStateInvalidFilter = true); // controllers answer bad input themselves, with an "error" field
        services.PostConfigure<MvcOptions>(LeanMvc.PostConfigure);
        services.AddServerSecurity();
        services.AddServerSwagger();
        services.AddServerMetrics();
        services.AddServerHealthChecks();
        services.AddPageLocalization();
        services.AddJiraProxy();
        return services;
    }
}
