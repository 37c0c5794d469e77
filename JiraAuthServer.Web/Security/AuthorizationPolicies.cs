using Microsoft.AspNetCore.Authorization;

namespace JiraAuthServer.Web.Security;

public static class AuthorizationPolicies
{
    public const string StartAuthorization = "StartAuthorization";

    /// <summary>
    /// <c>/auth/start</c> needs the API key unless <c>AUTH_START_REQUIRES_API_KEY=false</c> (old bots): whoever calls it
    /// chooses which Telegram account a Jira grant is bound to.
    /// </summary>
    public static void AddStartAuthorizationPolicy(this AuthorizationOptions options, bool requiresApiKey)
    {
        options.AddPolicy(StartAuthorization, policy =>
        {
            if (requiresApiKey)
            {
                policy.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser();
            }
            else
            {
                policy.RequireAssertion(_ => true);
            }
        });
    }
}
