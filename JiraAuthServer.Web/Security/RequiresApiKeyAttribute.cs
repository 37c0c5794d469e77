namespace JiraAuthServer.Web.Security;

/// <summary>
/// Endpoint metadata: the request must carry <c>Authorization: Bearer &lt;INTERNAL_API_KEY&gt;</c>, or it is answered
/// 401 by <see cref="ApiKeyRequirementMiddleware"/>. With <see cref="UnlessStartIsOpen"/>, only while
/// <c>AUTH_START_REQUIRES_API_KEY</c> is true (the old server's open <c>/auth/start</c> otherwise).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class RequiresApiKeyAttribute : Attribute
{
    public bool UnlessStartIsOpen { get; init; }
}
