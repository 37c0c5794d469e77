using JiraAuthServer.Core.Grants;

namespace JiraAuthServer.Core.Atlassian;

/// <summary>
/// Atlassian's OAuth 2.0 (3LO) and identity endpoints. Every method throws <see cref="AtlassianException"/> on
/// failure, classified so the caller can tell a dead grant from a passing outage.
/// </summary>
public interface IAtlassianClient
{
    Task<AtlassianTokenResponse> ExchangeCodeAsync(string code, CancellationToken cancellationToken);

    Task<AtlassianTokenResponse> RefreshAsync(string refreshToken, CancellationToken cancellationToken);

    Task<IReadOnlyList<JiraSite>> GetAccessibleResourcesAsync(string accessToken, CancellationToken cancellationToken);

    Task<JiraIdentity> GetMyselfAsync(string accessToken, string cloudId, CancellationToken cancellationToken);
}
