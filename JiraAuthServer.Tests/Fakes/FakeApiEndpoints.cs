using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace JiraAuthServer.Tests.Fakes;

/// <summary><c>GET /oauth/token/accessible-resources</c> and Jira's <c>myself</c>, both behind a live Bearer token.</summary>
internal static class FakeApiEndpoints
{
    public static async Task AccessibleResourcesAsync(HttpContext context, FakeAtlassianServer server, FakeTokenStore store)
    {
        if (await RefuseAsync(context, server, store) is null)
        {
            return;
        }

        var sites = new JsonArray([.. server.Sites.Select(site => (JsonNode)new JsonObject
        {
            ["id"] = site.Id,
            ["url"] = site.Url,
            ["name"] = site.Name,
            ["scopes"] = new JsonArray([.. site.Scopes.Select(scope => (JsonNode)JsonValue.Create(scope))]),
            ["avatarUrl"] = site.AvatarUrl,
        })]);
        await FakeHttp.WriteJsonAsync(context, 200, sites);
    }

    public static async Task MyselfAsync(HttpContext context, FakeAtlassianServer server, FakeTokenStore store)
    {
        var user = await RefuseAsync(context, server, store);
        if (user is null)
        {
            return;
        }

        var cloudId = context.Request.RouteValues["cloudId"]?.ToString();
        var site = server.Sites.FirstOrDefault(site => site.Id == cloudId && site.Scopes.Any(scope => scope.Contains("jira", StringComparison.Ordinal)));
        if (site is null)
        {
            await FakeHttp.WriteJsonAsync(context, 404, new JsonObject { ["errorMessages"] = new JsonArray("Site not found"), ["errors"] = new JsonObject() });
            return;
        }

        var body = new JsonObject
        {
            ["self"] = $"{site.Url}/rest/api/3/user?accountId={Uri.EscapeDataString(user.AccountId)}",
            ["accountId"] = user.AccountId,
            ["accountType"] = "atlassian",
            ["avatarUrls"] = new JsonObject { ["48x48"] = "https://avatar-management.services.atlassian.com/default/48" },
            ["displayName"] = user.DisplayName,
            ["active"] = true,
            ["timeZone"] = "Europe/Berlin",
            ["locale"] = "en_US",
        };
        if (user.EmailAddress is not null)
        {
            body["emailAddress"] = user.EmailAddress;
        }

        await FakeHttp.WriteJsonAsync(context, 200, body);
    }

    /// <returns>The token's user, or null when the request was answered already (injected failure or refusal).</returns>
    private static async Task<FakeJiraUser?> RefuseAsync(HttpContext context, FakeAtlassianServer server, FakeTokenStore store)
    {
        var failure = server.TakeApiFailure();
        if (!await FakeHttp.DelayAsync(context, server.ApiResponseDelay))
        {
            return null;
        }

        if (failure is not null)
        {
            await FakeHttp.WriteFailureAsync(context, failure);
            return null;
        }

        var user = store.UserOf(FakeHttp.BearerToken(context));
        if (user is null)
        {
            await FakeHttp.WriteJsonAsync(context, 401, new JsonObject { ["code"] = 401, ["message"] = "Unauthorized" });
        }

        return user;
    }
}
