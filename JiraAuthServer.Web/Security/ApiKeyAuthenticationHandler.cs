using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace JiraAuthServer.Web.Security;

/// <summary>
/// Accepts <c>Authorization: Bearer &lt;INTERNAL_API_KEY&gt;</c>. Keys are compared as SHA-256 digests in constant
/// time, so neither length nor content leaks through timing.
/// </summary>
public sealed partial class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptions<ApiKeyOptions> apiKeyOptions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    public const string SchemeName = "Bearer";

    private readonly byte[] expectedDigest = SHA256.HashData(Encoding.UTF8.GetBytes(apiKeyOptions.Value.InternalApiKey));

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        const string prefix = "Bearer ";
        var presented = header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? header[prefix.Length..].Trim() : string.Empty;
        var presentedDigest = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        if (presented.Length == 0 || !CryptographicOperations.FixedTimeEquals(presentedDigest, expectedDigest))
        {
            LogRejectedKey(Logger, Context.Connection.RemoteIpAddress?.ToString(), Request.Path);
            return Task.FromResult(AuthenticateResult.Fail("Invalid API key"));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "bot")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Response.WriteAsJsonAsync(new { error = "Unauthorized" });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected API key from {RemoteAddress} on {Path}")]
    private static partial void LogRejectedKey(ILogger logger, string? remoteAddress, PathString path);
}
