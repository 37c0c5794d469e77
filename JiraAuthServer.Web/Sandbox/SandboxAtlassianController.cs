using JiraAuthServer.Core.Options;
using JiraAuthServer.Web.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Web.Sandbox;

/// <summary>
/// The stand-in Atlassian the sandbox points the server at: the consent page and the token, accessible-resources
/// and Jira myself endpoints, answering as Atlassian does. Exists only in the sandbox.
/// </summary>
[Route(SandboxRoutes.Atlassian)]
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class SandboxAtlassianController(SandboxAtlassian atlassian, IOptions<AtlassianOptions> options) : Controller
{
    private const string ConsentView = "~/Sandbox/Views/Consent.cshtml";

    private readonly AtlassianOptions app = options.Value;

    [HttpGet("authorize")]
    [PageSecurityHeaders]
    public IActionResult Authorize(
        [FromQuery(Name = "client_id")] string? clientId,
        [FromQuery(Name = "redirect_uri")] string? redirectUri,
        [FromQuery(Name = "response_type")] string? responseType,
        string? audience,
        string? scope,
        string? state)
    {
        var problem = clientId != app.ClientId ? "Unknown client_id"
            : redirectUri != app.RedirectUri ? "redirect_uri does not match the app's callback URL"
            : responseType != "code" ? "response_type must be code"
            : audience != "api.atlassian.com" ? "audience must be api.atlassian.com"
            : string.IsNullOrWhiteSpace(scope) ? "scope is required"
            : null;
        if (problem is not null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View(ConsentView, new SandboxConsentPage(null, [], problem));
        }

        var id = atlassian.BeginConsent(new SandboxConsent(redirectUri!, state ?? string.Empty, scope!));
        return View(ConsentView, new SandboxConsentPage(id, scope!.Split(' ', StringSplitOptions.RemoveEmptyEntries), null));
    }

    [HttpGet("authorize/approve")]
    public IActionResult Approve(string? consent) => Decide(consent, approve: true);

    [HttpGet("authorize/decline")]
    public IActionResult Decline(string? consent) => Decide(consent, approve: false);

    [HttpPost("oauth/token")]
    public async Task<IActionResult> Token()
    {
        var fields = await ReadFieldsAsync();
        if (fields.GetValueOrDefault("client_id") != app.ClientId || fields.GetValueOrDefault("client_secret") != app.ClientSecret)
        {
            return Answer(SandboxTokenResult.Unauthorized());
        }

        return Answer(fields.GetValueOrDefault("grant_type") switch
        {
            "authorization_code" => atlassian.Exchange(fields.GetValueOrDefault("code"), fields.GetValueOrDefault("redirect_uri")),
            "refresh_token" => atlassian.Refresh(fields.GetValueOrDefault("refresh_token")),
            _ => new SandboxTokenResult(StatusCodes.Status400BadRequest, new JObject { ["error"] = "unsupported_grant_type" }),
        });
    }

    [HttpGet("oauth/token/accessible-resources")]
    public IActionResult AccessibleResources()
    {
        if (!atlassian.IsLive(BearerToken()))
        {
            return Unauthorized();
        }

        var sites = new JArray(SandboxAtlassian.Sites.Select(site => new JObject
        {
            ["id"] = site.CloudId,
            ["url"] = site.Url,
            ["name"] = site.Name,
            ["scopes"] = new JArray(site.Scopes),
            ["avatarUrl"] = "https://site-admin-avatar-cdn.prod.public.atl-paas.net/avatars/240/rocket.png",
        }));
        return Content(sites.ToString(), "application/json");
    }

    [HttpGet("ex/jira/{cloudId}/rest/api/3/myself")]
    public IActionResult Myself(string cloudId)
    {
        if (!atlassian.IsLive(BearerToken()))
        {
            return Unauthorized();
        }

        if (!SandboxAtlassian.Sites.Any(site => site.CloudId == cloudId && site.HasJiraScopes))
        {
            return NotFound();
        }

        var user = SandboxAtlassian.User;
        var body = new JObject
        {
            ["accountId"] = user.AccountId,
            ["accountType"] = "atlassian",
            ["emailAddress"] = user.Email,
            ["displayName"] = user.DisplayName,
            ["active"] = true,
            ["timeZone"] = "UTC",
        };
        return Content(body.ToString(), "application/json");
    }

    private IActionResult Decide(string? consentId, bool approve)
    {
        var consent = consentId is null ? null : atlassian.TakeConsent(consentId);
        if (consent is null)
        {
            return BadRequest("Unknown or already used consent: open the authorization link again.");
        }

        var (name, value) = approve ? ("code", atlassian.IssueCode(consent)) : ("error", "access_denied");
        var separator = consent.RedirectUri.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return Redirect($"{consent.RedirectUri}{separator}{name}={Uri.EscapeDataString(value)}&state={Uri.EscapeDataString(consent.State)}");
    }

    private static ContentResult Answer(SandboxTokenResult result) =>
        new() { StatusCode = result.StatusCode, Content = result.Body.ToString(), ContentType = "application/json" };

    private async Task<Dictionary<string, string>> ReadFieldsAsync()
    {
        if (Request.HasFormContentType)
        {
            var form = await Request.ReadFormAsync();
            return form.ToDictionary(pair => pair.Key, pair => pair.Value.ToString(), StringComparer.Ordinal);
        }

        using var reader = new StreamReader(Request.Body);
        try
        {
            return JObject.Parse(await reader.ReadToEndAsync())
                .Properties()
                .Where(property => property.Value.Type == JTokenType.String)
                .ToDictionary(property => property.Name, property => (string)property.Value!, StringComparer.Ordinal);
        }
        catch (Newtonsoft.Json.JsonReaderException)
        {
            return [];
        }
    }

    private string? BearerToken()
    {
        var header = Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..].Trim() : null;
    }
}
