namespace JiraAuthServer.Web.JiraProxy;

public static class JiraProxySetup
{
    /// <summary>YARP's forwarder (without its configuration-driven proxy), the connections to Jira and the call log.</summary>
    public static IServiceCollection AddJiraProxy(this IServiceCollection services)
    {
        services.AddHttpForwarder();
        services.AddSingleton<JiraHttpClient>();
        services.AddSingleton<JiraForwarder>();
        return services;
    }
}
