using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace JiraAuthServer.Tests.Fakes;

/// <summary>
/// <c>GET /authorize</c> and its consent page. Like Atlassian, a bad client or redirect URI gets an error page, not a
/// redirect; a valid request is approved or declined by the user (or by <see cref="FakeConsentMode"/>).
/// </summary>
internal sealed class FakeAuthorizeEndpoint(FakeAtlassianServer server, FakeTokenStore store)
{
    public const string ApprovePath = "/authorize/approve";
    public const string DeclinePath = "/authorize/decline";

    private readonly ConcurrentDictionary<string, Consent> consents = new(StringComparer.Ordinal);

    public Task AuthorizeAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var redirectUri = query["redirect_uri"].ToString();
        var problem = Validate(query, redirectUri);
        if (problem is not null)
        {
            return FakeHttp.WriteHtmlAsync(context, 400, "Something went wrong", $"<h1>Something went wrong</h1><p id=\"error\">{FakeHttp.Encode(problem)}</p>");
        }

        var consent = new Consent(redirectUri, query["state"].ToString(), query["scope"].ToString());
        switch (server.ConsentMode)
        {
            case FakeConsentMode.AutoApprove:
                return Approve(context, consent);
            case FakeConsentMode.AutoDecline:
                return Decline(context, consent);
            default:
                var id = FakeTokenValues.ConsentId();
                consents[id] = consent;
                return ShowPage(context, id, consent);
        }
    }

    public Task DecideAsync(HttpContext context, bool approve)
    {
        if (!consents.TryRemove(context.Request.Query["consent"].ToString(), out var consent))
        {
            return FakeHttp.WriteHtmlAsync(context, 400, "Something went wrong", "<h1>Something went wrong</h1><p id=\"error\">Unknown or used consent</p>");
        }

        return approve ? Approve(context, consent) : Decline(context, consent);
    }

    private string? Validate(IQueryCollection query, string redirectUri)
    {
        if (query["client_id"] != server.ClientId)
        {
            return "Unknown client_id";
        }

        if (query["audience"] != "api.atlassian.com")
        {
            return "audience must be api.atlassian.com";
        }

        if (query["response_type"] != "code")
        {
            return "response_type must be code";
        }

        if (!Uri.IsWellFormedUriString(redirectUri, UriKind.Absolute) || (server.RedirectUri is { } expected && redirectUri != expected))
        {
            return "redirect_uri does not match the app's callback URL";
        }

        return string.IsNullOrWhiteSpace(query["scope"]) ? "scope is required" : null;
    }

    private Task Approve(HttpContext context, Consent consent)
    {
        var code = store.IssueCode(server.NextUser, consent.RedirectUri, consent.Scope);
        return Redirect(context, consent, "code", code);
    }

    private static Task Decline(HttpContext context, Consent consent) => Redirect(context, consent, "error", "access_denied");

    private static Task Redirect(HttpContext context, Consent consent, string name, string value)
    {
        var separator = consent.RedirectUri.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        var location = $"{consent.RedirectUri}{separator}{name}={Uri.EscapeDataString(value)}";
        if (consent.State.Length > 0)
        {
            location += $"&state={Uri.EscapeDataString(consent.State)}";
        }

        context.Response.Redirect(location);
        return Task.CompletedTask;
    }

    private Task ShowPage(HttpContext context, string id, Consent consent)
    {
        var scopes = string.Concat(consent.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(scope => $"<li>{FakeHttp.Encode(scope)}</li>"));
        var body = $"""
            <h1>Jira Authorization Server is requesting access to your Atlassian account</h1>
            <p>Signed in as <span id="user">{FakeHttp.Encode(server.NextUser.DisplayName)}</span></p>
            <ul id="scopes">{scopes}</ul>
            <a id="accept" href="{ApprovePath}?consent={id}">Accept</a>
            <a id="decline" href="{DeclinePath}?consent={id}">Decline</a>
            """;
        return FakeHttp.WriteHtmlAsync(context, 200, "Authorize app", body);
    }

    private sealed record Consent(string RedirectUri, string State, string Scope);
}
