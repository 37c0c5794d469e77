using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using JiraAuthServer.Web.Models;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace JiraAuthServer.Web.Security;

/// <summary>
/// Accepts <c>Authorization: Bearer &lt;INTERNAL_API_KEY&gt;</c>. Keys are compared as SHA-256 digests in constant
/// time, so neither length nor content leaks through timing. Every wrong key counts against the client's
/// <see cref="ApiKeyLockout"/> and is logged with its address, never with the key tried.
/// </summary>
public sealed partial class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptions<ApiKeyOptions> apiKeyOptions,
    ApiKeyLockout lockout)
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
            LogRejectedKey(Logger, ClientAddress.Of(Context), Request.Path);
            var client = ClientAddress.PartitionOf(Context);
            if (lockout.RecordFailure(client))
            {
                LogLockedOut(Logger, client, lockout.Limit, lockout.Window.TotalSeconds);
            }

            return Task.FromResult(AuthenticateResult.Fail("Invalid API key"));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "bot")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Response.WriteAsJsonAsync(new { error = ApiMessages.Unauthorized });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected API key from {ClientAddress} on {Path}")]
    private static partial void LogRejectedKey(ILogger logger, string clientAddress, PathString path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Locked out {Client} after {Failures} wrong API keys: its requests with a key get 429 for {WindowSeconds} s")]
    private static partial void LogLockedOut(ILogger logger, string client, int failures, double windowSeconds);
}
